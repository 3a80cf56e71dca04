// Compares a graph contract with what onnxruntime reports for the loaded model. Each problem
// names the tensor, what the contract expects and what the model has; the caller adds the
// plugin and graph. Output dims written as expressions of input axes (`frames*256`) cannot
// be checked before a run; feed-check.ts checks them on every result.
import type { GraphContract, TensorContract } from '../plugin/graph-contract.ts';
import { parseDim } from './dim-expr.ts';
import { elementTypeOfOrt } from './tensor-types.ts';

/** What onnxruntime reports for one input or output (InferenceSession.ValueMetadata). */
export interface TensorMetadata {
  readonly name: string;
  readonly isTensor: boolean;
  readonly type?: string;
  readonly shape?: readonly (number | string)[];
}

export const formatDims = (dims: readonly (number | string)[] | undefined) => `[${(dims ?? []).join(', ')}]`;
const describe = (t: { type?: string; dims?: readonly (number | string)[] }) => `${t.type} ${formatDims(t.dims)}`;

function compareTensor(kind: 'input' | 'output', expected: TensorContract, found: TensorMetadata): string[] {
  const label = `${kind} '${expected.name}': expected ${describe(expected)}, found`;
  if (!found.isTensor) return [`${label} a non-tensor value`];
  const foundType = found.type === undefined ? undefined : elementTypeOfOrt(found.type);
  const foundDims = found.shape ?? [];
  const foundText = `${found.type} ${formatDims(foundDims)}`;
  if (foundType !== expected.type) return [`${label} ${foundText} (element type differs)`];
  // onnxruntime reports an empty shape when the model leaves it undefined: nothing to compare.
  if (foundDims.length === 0 && expected.dims.length > 0) return [];
  if (foundDims.length !== expected.dims.length) return [`${label} ${foundText} (rank ${expected.dims.length} vs ${foundDims.length})`];
  const problems: string[] = [];
  expected.dims.forEach((dim, i) => {
    const want = parseDim(dim);
    const have = foundDims[i];
    if (want.kind === 'fixed' && typeof have === 'number' && have >= 0 && have !== want.value) {
      problems.push(`${label} ${foundText} (dim ${i} is ${have}, not ${want.value})`);
    }
    // A model that fixes an axis the contract leaves free would refuse other lengths. Outputs
    // may be fixed where the contract names an axis: the result is checked on every run.
    if (kind === 'input' && want.kind !== 'fixed' && typeof have === 'number' && have >= 0) {
      problems.push(`${label} ${foundText} (dim ${i} is fixed at ${have}, the contract lets '${dim}' vary)`);
    }
  });
  return problems;
}

export function compareContract(contract: GraphContract, inputs: readonly TensorMetadata[], outputs: readonly TensorMetadata[]): string[] {
  const problems: string[] = [];
  const check = (kind: 'input' | 'output', declared: readonly TensorContract[], found: readonly TensorMetadata[]) => {
    const byName = new Map(found.map((m) => [m.name, m]));
    for (const tensor of declared) {
      const meta = byName.get(tensor.name);
      if (!meta) problems.push(`${kind} '${tensor.name}': expected ${describe(tensor)}, found no such ${kind} (model ${kind}s: ${found.map((m) => m.name).join(', ') || 'none'})`);
      else problems.push(...compareTensor(kind, tensor, meta));
    }
    // The model needs every input fed; extra outputs are simply not fetched.
    if (kind === 'input') {
      const declaredNames = new Set(declared.map((t) => t.name));
      for (const meta of found) {
        if (!declaredNames.has(meta.name)) problems.push(`input '${meta.name}': expected no such input, found ${meta.type} ${formatDims(meta.shape)} that the contract does not declare`);
      }
    }
  };
  check('input', contract.inputs, inputs);
  check('output', contract.outputs, outputs);
  return problems;
}
