// Dims in a graph contract: a fixed size, a named axis (`frames`), or an expression of
// named axes (`frames*256`, `tokens+1`, `frames/4`). `*` and `/` bind tighter than `+`
// and `-`; `/` divides whole numbers rounding down (as ONNX Div does on int64 >= 0).
import type { Dim } from '../plugin/graph-contract.ts';

export type DimTerm = { readonly kind: 'axis'; readonly name: string } | { readonly kind: 'number'; readonly value: number };

/** A parsed expression: sum of signed products, each product a chain of `*`/`/` over terms. */
export interface DimExpr {
  readonly source: string;
  readonly sums: readonly { readonly sign: 1 | -1; readonly factors: readonly { readonly op: '*' | '/'; readonly term: DimTerm }[] }[];
}

export type ParsedDim = { readonly kind: 'fixed'; readonly value: number } | { readonly kind: 'axis'; readonly name: string } | { readonly kind: 'expr'; readonly expr: DimExpr };

const TOKEN = /([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[*/+-])/g;

function termOf(token: string): DimTerm {
  return /^[0-9]+$/.test(token) ? { kind: 'number', value: Number(token) } : { kind: 'axis', name: token };
}

export function parseDim(dim: Dim): ParsedDim {
  if (typeof dim === 'number') return { kind: 'fixed', value: dim };
  const tokens = dim.match(TOKEN) ?? [];
  if (tokens.join('') !== dim || tokens.length % 2 === 0) throw new Error(`dim '${dim}' is not an axis name or an expression like 'frames*256'`);
  if (tokens.length === 1) return /^[0-9]+$/.test(dim) ? { kind: 'fixed', value: Number(dim) } : { kind: 'axis', name: dim };
  const sums: { sign: 1 | -1; factors: { op: '*' | '/'; term: DimTerm }[] }[] = [{ sign: 1, factors: [{ op: '*', term: termOf(tokens[0]!) }] }];
  for (let i = 1; i < tokens.length; i += 2) {
    const op = tokens[i]!;
    const term = termOf(tokens[i + 1]!);
    if (op === '+' || op === '-') sums.push({ sign: op === '+' ? 1 : -1, factors: [{ op: '*', term }] });
    else sums[sums.length - 1]!.factors.push({ op: op as '*' | '/', term });
  }
  return { kind: 'expr', expr: { source: dim, sums } };
}

/** Axis names a dim refers to. */
export function axesOf(dim: ParsedDim): string[] {
  if (dim.kind === 'axis') return [dim.name];
  if (dim.kind === 'fixed') return [];
  return dim.expr.sums.flatMap((s) => s.factors.flatMap((f) => (f.term.kind === 'axis' ? [f.term.name] : [])));
}

/** The dim's size given bound axes, or undefined when an axis it needs is unbound. */
export function evaluateDim(dim: ParsedDim, axes: ReadonlyMap<string, number>): number | undefined {
  if (dim.kind === 'fixed') return dim.value;
  if (dim.kind === 'axis') return axes.get(dim.name);
  let total = 0;
  for (const sum of dim.expr.sums) {
    let product = 1;
    for (const { op, term } of sum.factors) {
      const value = term.kind === 'number' ? term.value : axes.get(term.name);
      if (value === undefined) return undefined;
      product = op === '*' ? product * value : Math.floor(product / value);
    }
    total += sum.sign * product;
  }
  return total;
}
