// Graph handles over real onnxruntime sessions, for loop tests that call the pipeline's
// stages directly: smoke graphs generated from the plugin's own contracts, or a graph whose
// outputs a test knows. Each handle counts its runs and keeps the feeds it was given.
import ort from 'onnxruntime-node';
import { attr, makeGraphBuilder } from '../../../core/onnx/graph-builder.ts';
import type { GraphHandle, TensorData } from '../../../core/onnx/graph-handle.ts';
import { encodeModel } from '../../../core/onnx/onnx-proto.ts';
import { smokeGraphBytes } from '../../../core/onnx/smoke-graph.ts';
import { ELEMENT_INFO } from '../../../core/onnx/tensor-types.ts';
import type { GraphContract } from '../../../core/plugin/types.ts';
import { graphs, type MaskgctGraph } from '../graphs.ts';
import type { MaskgctGraphs } from '../pipeline/graph-handles.ts';

export interface RecordingHandle extends GraphHandle {
  /** Feeds of every run, in order (copies). */
  readonly calls: Readonly<Record<string, TensorData>>[];
}

export async function sessionHandle(name: string, contract: GraphContract, bytes: Uint8Array): Promise<RecordingHandle> {
  const session = await ort.InferenceSession.create(bytes);
  const calls: Readonly<Record<string, TensorData>>[] = [];
  return {
    name,
    contract,
    calls,
    async run(feeds) {
      calls.push(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { ...t, data: t.data.slice() }])));
      const inputs = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(ELEMENT_INFO[t.type].ort as 'float32', t.data as Float32Array, [...t.dims])]));
      const outputs = await session.run(inputs);
      return Object.fromEntries(contract.outputs.map((o) => [o.name, { type: o.type, data: outputs[o.name]!.data as TensorData['data'], dims: [...outputs[o.name]!.dims] }]));
    },
  };
}

/** Every MaskGCT graph as a smoke graph, with `replace` swapping in graphs a test knows. */
export async function smokeHandles(replace: Partial<Record<MaskgctGraph, Uint8Array>> = {}): Promise<MaskgctGraphs & Record<MaskgctGraph, RecordingHandle>> {
  const entries = await Promise.all(
    (Object.entries(graphs) as [MaskgctGraph, GraphContract][]).map(async ([name, contract]) => [
      name,
      await sessionHandle(name, contract, replace[name] ?? smokeGraphBytes(contract, { plugin: 'maskgct', graph: name })),
    ]),
  );
  return Object.fromEntries(entries);
}

/**
 * A logits head whose output is known: whatever the hidden states, position p prefers id
 * (p + 1) mod V with logit 1 + p/2 and every other id has 0. Later positions are more
 * confident, so a loop with flat noise fixes them first.
 */
export function rampLogitsGraph(graph: 't2s_logits' | 's2a_1layer_logits'): Uint8Array {
  const contract = graphs[graph];
  const vocab = contract.outputs[0].dims[2] as number;
  const g = makeGraphBuilder('_ramp');
  g.input({ name: 'hidden', elemType: ELEMENT_INFO.float32.onnx, dims: contract.inputs[0].dims });
  const length = g.node('Shape', ['hidden'], [attr.int('start', 1), attr.int('end', 2)]);
  const positions = g.node('Range', [g.int64([0], []), g.node('Squeeze', [length, g.int64([0])]), g.int64([1], [])]);
  const preferred = g.node('Mod', [g.node('Add', [positions, g.int64([1], [])]), g.int64([vocab], [])]);
  const ids = g.node('Range', [g.int64([0], []), g.int64([vocab], []), g.int64([1], [])]);
  const hit = g.node('Cast', [g.node('Equal', [g.node('Unsqueeze', [preferred, g.int64([1])]), g.node('Unsqueeze', [ids, g.int64([0])])])], [attr.int('to', ELEMENT_INFO.float32.onnx)]);
  const strength = g.node('Add', [g.node('Mul', [g.node('Cast', [positions], [attr.int('to', ELEMENT_INFO.float32.onnx)]), g.float(0.5)]), g.float(1)]);
  const logits = g.node('Mul', [hit, g.node('Unsqueeze', [strength, g.int64([1])])]);
  g.node('Unsqueeze', [logits, g.int64([0])], [], 'logits');
  g.output({ name: 'logits', elemType: ELEMENT_INFO.float32.onnx, dims: contract.outputs[0].dims });
  return encodeModel(g.build({ graphName: `maskgct.${graph}.ramp`, opset: 17 }));
}

/** Ids out of a recorded int64/bool feed, as numbers. */
export const numbers = (tensor: TensorData | undefined): number[] => [...(tensor?.data ?? [])].map(Number);
