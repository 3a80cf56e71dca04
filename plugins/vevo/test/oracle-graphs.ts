// Tiny hand-built graphs whose outputs a test can compute by hand, run by real onnxruntime
// sessions through a LoopIO like the worker's, so the loop modules run unchanged in-process.
import ort from 'onnxruntime-node';
import { attr, makeGraphBuilder } from '../../../core/onnx/graph-builder.ts';
import type { TensorData } from '../../../core/onnx/graph-handle.ts';
import { encodeModel } from '../../../core/onnx/onnx-proto.ts';
import { ELEMENT_INFO } from '../../../core/onnx/tensor-types.ts';
import type { LoopIO, LoopTensor } from '../../../core/onnx/worker-loop.ts';
import type { GraphContract } from '../../../core/plugin/types.ts';

const F32 = ELEMENT_INFO.float32.onnx;
const I64 = ELEMENT_INFO.int64.onnx;

/**
 * A "Llama" with a real K/V cache: present = cat(past, new, axis 3), where each new position's
 * key is its token id. Its logits put 1000 on id (cache length) mod `wrap` for every row, so
 * after a prompt of P tokens the loop must emit P, P+1, … — only if the cache is fed back.
 */
export function countingLlamaBytes(contract: GraphContract, wrap: number, always?: number): Uint8Array {
  const [layers, , heads, , headDim] = contract.inputs[1]!.dims as number[];
  const vocab = contract.outputs[0]!.dims[2] as number;
  const g = makeGraphBuilder('_llama');
  for (const input of contract.inputs) g.input({ name: input.name, elemType: input.type === 'int64' ? I64 : F32, dims: input.dims });
  const n = g.node('Shape', ['input_ids'], [attr.int('start', 1), attr.int('end', 2)]);
  const ids = g.node('Cast', ['input_ids'], [attr.int('to', F32)]); // [1, n]
  const shape = g.node('Concat', [g.int64([layers!, 1, heads!]), n, g.int64([headDim!])], [attr.int('axis', 0)]);
  const fresh = g.node('Expand', [g.node('Reshape', [ids, g.int64([1, 1, 1, -1, 1])]), shape]);
  for (const [past, present] of [['past_key', 'present_key'], ['past_value', 'present_value']] as const) g.node('Concat', [past, fresh], [attr.int('axis', 3)], present);
  const length = g.node('Shape', ['present_key'], [attr.int('start', 3), attr.int('end', 4)]);
  // `always`: a model that prefers one id whatever it has seen (an eager end-of-sequence)
  const preferred = always === undefined ? g.node('Mod', [length, g.int64([wrap])]) : g.int64([always]);
  const all = g.node('Range', [g.int64([0], []), g.int64([vocab], []), g.int64([1], [])]);
  const hot = g.node('Cast', [g.node('Equal', [all, preferred])], [attr.int('to', F32)]); // [vocab]
  const row = g.node('Mul', [hot, g.float(1000)]);
  g.node('Expand', [g.node('Reshape', [row, g.int64([1, 1, vocab])]), g.node('Concat', [g.int64([1]), n, g.int64([vocab])], [attr.int('axis', 0)])], [], 'logits');
  for (const output of contract.outputs) g.output({ name: output.name, elemType: F32, dims: output.dims });
  return encodeModel(g.build({ graphName: 'oracle.counting-llama', opset: 17 }));
}

/** cond_emb stand-in: each token's vector is its id, repeated over the hidden width. */
export function idConditionBytes(contract: GraphContract): Uint8Array {
  const hidden = contract.outputs[0]!.dims[2] as number;
  const g = makeGraphBuilder('_cond');
  g.input({ name: 'cond_ids', elemType: I64, dims: contract.inputs[0]!.dims });
  const ids = g.node('Unsqueeze', [g.node('Cast', ['cond_ids'], [attr.int('to', F32)]), g.int64([2])]);
  const shape = g.node('Concat', [g.node('Shape', ['cond_ids']), g.int64([hidden])], [attr.int('axis', 0)]);
  g.node('Expand', [ids, shape], [], 'cond');
  g.output({ name: 'cond', elemType: F32, dims: contract.outputs[0]!.dims });
  return encodeModel(g.build({ graphName: 'oracle.id-condition', opset: 17 }));
}

/** Estimator stand-in: velocity = x + mean(cond) (+ 0·t), so the guided velocity is known in closed form. */
export function shiftEstimatorBytes(contract: GraphContract): Uint8Array {
  const g = makeGraphBuilder('_est');
  for (const input of contract.inputs) g.input({ name: input.name, elemType: F32, dims: input.dims });
  const mean = g.node('ReduceMean', ['cond'], [attr.int('keepdims', 0)]);
  g.node('Add', [g.node('Add', ['x', mean]), g.node('Mul', ['t', g.float(0)])], [], 'velocity');
  g.output({ name: 'velocity', elemType: F32, dims: contract.outputs[0]!.dims });
  return encodeModel(g.build({ graphName: 'oracle.shift-estimator', opset: 17 }));
}

/** Estimator stand-in: velocity = x · (1 + mean(cond)), so the std rescale of the guidance acts. */
export function scaleEstimatorBytes(contract: GraphContract): Uint8Array {
  const g = makeGraphBuilder('_scale');
  for (const input of contract.inputs) g.input({ name: input.name, elemType: F32, dims: input.dims });
  const gain = g.node('Add', [g.node('ReduceMean', ['cond'], [attr.int('keepdims', 0)]), g.float(1)]);
  g.node('Add', [g.node('Mul', ['x', gain]), g.node('Mul', ['t', g.float(0)])], [], 'velocity');
  g.output({ name: 'velocity', elemType: F32, dims: contract.outputs[0]!.dims });
  return encodeModel(g.build({ graphName: 'oracle.scale-estimator', opset: 17 }));
}

export interface OracleIO extends LoopIO {
  cancelled: boolean;
  readonly emitted: unknown[];
  readonly progressed: [number, number][];
  /** Cache lengths seen by each run of each graph (dims[3] of past_key). */
  readonly runs: { graph: string; feeds: Record<string, readonly number[]> }[];
}

export async function oracleIO(graphs: Record<string, Uint8Array>, residents: Record<string, TensorData> = {}): Promise<OracleIO> {
  const sessions = Object.fromEntries(await Promise.all(Object.entries(graphs).map(async ([name, bytes]) => [name, await ort.InferenceSession.create(bytes)] as const)));
  const tensor = (type: TensorData['type'], data: TensorData['data'], dims: readonly number[]) => new ort.Tensor(type as 'float32', data as Float32Array, [...dims]);
  const io: OracleIO = {
    cancelled: false,
    emitted: [],
    progressed: [],
    runs: [],
    async run(graph, feeds, fetches) {
      // as in the worker: once cancelled, the next run throws
      io.throwIfCancelled();
      const inputs = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, t instanceof ort.Tensor ? t : tensor((t as TensorData).type, (t as TensorData).data, (t as TensorData).dims)]));
      io.runs.push({ graph, feeds: Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, [...t.dims]])) });
      const out = await sessions[graph]!.run(inputs);
      return Object.fromEntries(Object.entries(out).filter(([k]) => !fetches || fetches.includes(k))) as Record<string, LoopTensor>;
    },
    resident: (slot) => {
      const t = residents[slot];
      if (!t) throw new Error(`no resident '${slot}'`);
      return tensor(t.type, t.data, t.dims);
    },
    tensor,
    emit: (value) => void io.emitted.push(value),
    progress: (step, total) => void io.progressed.push([step, total]),
    throwIfCancelled() {
      if (io.cancelled) throw new Error('cancelled');
    },
  };
  return io;
}
