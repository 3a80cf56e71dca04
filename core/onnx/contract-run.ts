// Checks one graph file against its contract the way the hub will use it: open it, compare
// the session's inputs and outputs with the contract, then run it once on feeds built from
// the contract (small random values, every named axis bound) and check what it returns.
// For the CLI (export, verify): the session opens on the calling thread.
import ort from 'onnxruntime-node';
import type { GraphContract, TensorContract } from '../plugin/graph-contract.ts';
import { compareContract } from './contract-check.ts';
import { evaluateDim, parseDim } from './dim-expr.ts';
import { checkFeeds, checkOutputs } from './feed-check.ts';
import type { TensorData } from './tensor-data.ts';
import { ELEMENT_INFO } from './tensor-types.ts';

/** Size bound to a named axis for the check run: batch axes 1, lengths a few frames. */
const axisSize = (name: string) => (/batch/i.test(name) ? 1 : 16);

function feedFor(input: TensorContract, axes: Map<string, number>): TensorData {
  const dims = input.dims.map((dim) => {
    const parsed = parseDim(dim);
    if (parsed.kind === 'axis' && !axes.has(parsed.name)) axes.set(parsed.name, axisSize(parsed.name));
    return evaluateDim(parsed, axes) ?? axisSize('');
  });
  const length = dims.reduce((a, b) => a * b, 1);
  const data = new ELEMENT_INFO[input.type].array(length);
  // Floats: a log-mel-like range; integers: ids below the vocabulary (or small); bools: false.
  if (data instanceof Float32Array) for (let i = 0; i < length; i++) data[i] = -5 + 4 * Math.sin(i * 0.37);
  else if (data instanceof BigInt64Array) for (let i = 0; i < length; i++) data[i] = BigInt(i % Math.min(input.vocab ?? 8, 8));
  else if (data instanceof Int32Array) for (let i = 0; i < length; i++) data[i] = i % Math.min(input.vocab ?? 8, 8);
  return { type: input.type, data, dims };
}

/** Problems found (empty when the graph keeps its contract), each naming the tensor. */
export async function checkGraphFile(contract: GraphContract, path: string): Promise<string[]> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path);
  } catch (error) {
    return [`${contract.file} is not a loadable ONNX model (${(error as Error).message.split('\n')[0]})`];
  }
  try {
    const problems = compareContract(contract, session.inputMetadata, session.outputMetadata);
    if (problems.length) return problems;
    const axes = new Map<string, number>();
    const feeds = Object.fromEntries(contract.inputs.map((input) => [input.name, feedFor(input, axes)]));
    const checked = checkFeeds(contract, feeds);
    if (checked.problems.length) return checked.problems;
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await session.run(Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(ELEMENT_INFO[t.type].ort as 'float32', t.data as Float32Array, t.dims)])));
    } catch (error) {
      return [`one run on inputs ${Object.entries(feeds).map(([n, t]) => `${n}[${t.dims.join(', ')}]`).join(', ')} failed: ${(error as Error).message.split('\n')[0]}`];
    }
    const outputs = Object.fromEntries(Object.entries(results).map(([name, t]) => [name, { type: t.type, data: t.data, dims: t.dims } as TensorData]));
    return checkOutputs(contract, outputs, checked.axes);
  } finally {
    await session.release();
  }
}
