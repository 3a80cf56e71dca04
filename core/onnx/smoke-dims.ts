// Sizes in smoke graphs: where each named axis is read from, and one declared dim as a
// tensor. Shared by the plain and the batched smoke generators.
import { parseDim, type DimTerm, type ParsedDim } from './dim-expr.ts';
import { attr, type GraphBuilder } from './graph-builder.ts';
import type { TensorContract } from '../plugin/graph-contract.ts';

/** Size given to an output axis that no input binds (a length the model would decide). */
export const FREE_AXIS_SIZE = 8;

/** Where each named axis can be read: the first input that declares it as a plain axis. */
export function axisSources(inputs: readonly TensorContract[]): Map<string, { input: string; index: number }> {
  const sources = new Map<string, { input: string; index: number }>();
  for (const input of inputs) {
    input.dims.forEach((dim, index) => {
      const parsed = parseDim(dim);
      if (parsed.kind === 'axis' && !sources.has(parsed.name)) sources.set(parsed.name, { input: input.name, index });
    });
  }
  return sources;
}

/** A 1-element int64 tensor holding the size of one declared dim. */
export function dimTensor(g: GraphBuilder, dim: ParsedDim, sources: ReturnType<typeof axisSources>): string {
  const term = (t: DimTerm): string => {
    if (t.kind === 'number') return g.int64([t.value]);
    const source = sources.get(t.name);
    if (!source) return g.int64([FREE_AXIS_SIZE]);
    return g.node('Shape', [source.input], [attr.int('start', source.index), attr.int('end', source.index + 1)]);
  };
  if (dim.kind === 'fixed') return g.int64([dim.value]);
  if (dim.kind === 'axis') return term({ kind: 'axis', name: dim.name });
  let total: string | undefined;
  for (const sum of dim.expr.sums) {
    let product: string | undefined;
    for (const { op, term: t } of sum.factors) {
      const value = term(t);
      product = product === undefined ? value : g.node(op === '*' ? 'Mul' : 'Div', [product, value]);
    }
    if (total === undefined) total = sum.sign === 1 ? product! : g.node('Neg', [product!]);
    else total = g.node(sum.sign === 1 ? 'Add' : 'Sub', [total, product!]);
  }
  // A negative size (e.g. `frames-4` on a short input) would fail Reshape; clamp to 0.
  return g.node('Max', [total!, g.int64([0])]);
}
