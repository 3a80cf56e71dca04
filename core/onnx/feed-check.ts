// Checks the tensors a plugin feeds a graph, and the tensors the graph returns, against the
// contract: names, element types, typed arrays, element counts, ranks, fixed dims, and named
// axes bound consistently across tensors (the first tensor that has an axis binds it).
import type { GraphContract, TensorContract } from '../plugin/graph-contract.ts';
import { evaluateDim, parseDim } from './dim-expr.ts';
import { formatDims } from './contract-check.ts';
import type { TensorData } from './graph-handle.ts';
import { isResident, type Feed } from './resident.ts';
import { arrayNameOf, carries, ELEMENT_INFO } from './tensor-types.ts';

export type AxisBindings = Map<string, { readonly size: number; readonly by: string }>;

export interface TensorCheck {
  readonly problems: string[];
  readonly axes: AxisBindings;
}

const isDims = (dims: unknown): dims is number[] => Array.isArray(dims) && dims.every((d) => Number.isInteger(d) && d >= 0);

/** Shape-level problems of one tensor (type, array, element count), before its dims are compared. */
function tensorProblems(label: string, declared: TensorContract, tensor: Feed | undefined): string[] {
  if (isResident(tensor)) return residentProblems(label, declared, tensor.type, tensor.dims);
  if (typeof tensor !== 'object' || tensor === null || !('data' in tensor) || !('dims' in tensor)) return [`${label}: not a tensor {type, data, dims}`];
  if (tensor.type !== declared.type) return [`${label}: element type ${String(tensor.type)}, contract says ${declared.type}`];
  if (!carries(declared.type, tensor.data)) return [`${label}: ${declared.type} data must be a ${ELEMENT_INFO[declared.type].arrayName}, got ${arrayNameOf(tensor.data)}`];
  if (!isDims(tensor.dims)) return [`${label}: dims ${JSON.stringify(tensor.dims)} are not whole numbers >= 0`];
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (count !== tensor.data.length) return [`${label}: dims ${formatDims(tensor.dims)} hold ${count} elements, data has ${tensor.data.length}`];
  if (tensor.dims.length !== declared.dims.length) {
    return [`${label}: rank ${tensor.dims.length} ${formatDims(tensor.dims)}, contract says rank ${declared.dims.length} ${formatDims(declared.dims)}`];
  }
  return [];
}

/** A resident tensor's bytes are in the worker: its recorded type and dims are what can be checked here. */
function residentProblems(label: string, declared: TensorContract, type: string, dims: readonly number[]): string[] {
  if (type !== declared.type) return [`${label}: resident tensor of element type ${type}, contract says ${declared.type}`];
  if (dims.length !== declared.dims.length) return [`${label}: resident tensor of rank ${dims.length} ${formatDims(dims)}, contract says rank ${declared.dims.length} ${formatDims(declared.dims)}`];
  return [];
}

/** Binds plain axes in order, then checks fixed dims and expressions against the bindings. */
function dimProblems(tensors: readonly { label: string; declared: TensorContract; dims: readonly number[] }[], axes: AxisBindings): string[] {
  const problems: string[] = [];
  for (const { label, declared, dims } of tensors) {
    declared.dims.forEach((dim, i) => {
      const want = parseDim(dim);
      const have = dims[i]!;
      if (want.kind === 'fixed' && have !== want.value) problems.push(`${label}: dim ${i} is ${have}, contract says ${want.value}`);
      if (want.kind !== 'axis') return;
      const bound = axes.get(want.name);
      if (!bound) axes.set(want.name, { size: have, by: label });
      else if (bound.size !== have) problems.push(`${label}: axis '${want.name}' (dim ${i}) is ${have}, but ${bound.by} has it as ${bound.size}`);
    });
  }
  const sizes = new Map([...axes].map(([name, b]) => [name, b.size]));
  for (const { label, declared, dims } of tensors) {
    declared.dims.forEach((dim, i) => {
      const want = parseDim(dim);
      if (want.kind !== 'expr') return;
      const expected = evaluateDim(want, sizes);
      if (expected !== undefined && expected !== dims[i]) problems.push(`${label}: dim ${i} is ${dims[i]}, contract says ${dim} = ${expected}`);
    });
  }
  return problems;
}

function checkTensors(
  kind: 'input' | 'output',
  declared: readonly TensorContract[],
  given: Readonly<Record<string, Feed>>,
  axes: AxisBindings,
): string[] {
  const problems: string[] = [];
  const names = declared.map((t) => t.name);
  const shaped: { label: string; declared: TensorContract; dims: readonly number[] }[] = [];
  for (const tensor of declared) {
    const label = `${kind} '${tensor.name}'`;
    if (!Object.hasOwn(given, tensor.name)) {
      problems.push(`${label}: missing (${kind}s: ${names.join(', ')})`);
      continue;
    }
    const found = tensorProblems(label, tensor, given[tensor.name]);
    if (found.length) problems.push(...found);
    else shaped.push({ label, declared: tensor, dims: given[tensor.name]!.dims });
  }
  if (kind === 'input') {
    for (const name of Object.keys(given)) if (!names.includes(name)) problems.push(`feed '${name}': not an input of this graph (inputs: ${names.join(', ')})`);
  }
  problems.push(...dimProblems(shaped, axes));
  return problems;
}

export function checkFeeds(contract: GraphContract, feeds: Readonly<Record<string, Feed>>): TensorCheck {
  const axes: AxisBindings = new Map();
  if (typeof feeds !== 'object' || feeds === null) return { problems: ['feeds must be an object of named tensors'], axes };
  return { problems: checkTensors('input', contract.inputs, feeds, axes), axes };
}

/** Checks a run's outputs, with the axes the feeds bound (an output axis no input has binds freely). */
export function checkOutputs(contract: GraphContract, outputs: Readonly<Record<string, Feed>>, inputAxes: AxisBindings): string[] {
  return checkTensors('output', contract.outputs, outputs, new Map(inputAxes));
}
