// A small random-weight decoder with a self-attention KV cache, for tests and benchmarks
// of autoregressive loops: tokens + past K/V per layer → logits + present K/V (past + new).
// One head, no causal mask inside a multi-token prefill, residual tanh blocks: a toy in
// what it computes, real in how it is driven (cache in, longer cache out, every step).
import { attr, floatTensor, makeGraphBuilder } from '../../core/onnx/graph-builder.ts';
import { encodeModel } from '../../core/onnx/onnx-proto.ts';
import { ELEMENT_INFO } from '../../core/onnx/tensor-types.ts';
import type { GraphContract, PluginDecl } from '../../core/plugin/types.ts';
import { definePlugin } from '../../core/plugin/define-plugin.ts';

export interface ArShape {
  readonly layers: number;
  readonly width: number;
  readonly vocab: number;
}

export const SMALL_AR: ArShape = { layers: 2, width: 32, vocab: 64 };

export function arContract(shape: ArShape): GraphContract {
  const cache = (name: string, length: string) => ({ name, type: 'float32', dims: [shape.layers, 'batch', length, shape.width] }) as const;
  return {
    file: 'decoder.onnx',
    inputs: [{ name: 'tokens', type: 'int64', dims: ['batch', 'tokens'] }, cache('past_k', 'past'), cache('past_v', 'past')],
    outputs: [{ name: 'logits', type: 'float32', dims: ['batch', 'tokens', shape.vocab] }, cache('present_k', 'past+tokens'), cache('present_v', 'past+tokens')],
  };
}

/** Deterministic pseudo-random weights (a sine hash), scaled like Xavier. */
function weights(name: string, rows: number, cols: number, seed: number) {
  const scale = Math.sqrt(2 / (rows + cols));
  return floatTensor(name, Array.from({ length: rows * cols }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * scale * 1.7), [rows, cols]);
}

export function arDecoderBytes(shape: ArShape): Uint8Array {
  const { layers, width, vocab } = shape;
  const g = makeGraphBuilder('_ar');
  const contract = arContract(shape);
  for (const input of contract.inputs) g.input({ name: input.name, elemType: ELEMENT_INFO[input.type].onnx, dims: input.dims });
  const embedding = g.initializer(weights('embedding', vocab, width, 1));
  let x = g.node('Gather', [embedding, 'tokens'], [attr.int('axis', 0)]); // [b, n, d]
  const presentK: string[] = [];
  const presentV: string[] = [];
  for (let l = 0; l < layers; l++) {
    const w = (k: string, seed: number) => g.initializer(weights(`l${l}_${k}`, width, width, 10 * l + seed));
    const layer = g.int64([l], []);
    const pastK = g.node('Gather', ['past_k', layer], [attr.int('axis', 0)]); // [b, past, d]
    const pastV = g.node('Gather', ['past_v', layer], [attr.int('axis', 0)]);
    const k = g.node('Concat', [pastK, g.node('MatMul', [x, w('k', 2)])], [attr.int('axis', 1)]); // [b, past+n, d]
    const v = g.node('Concat', [pastV, g.node('MatMul', [x, w('v', 3)])], [attr.int('axis', 1)]);
    presentK.push(g.node('Unsqueeze', [k, g.int64([0])]));
    presentV.push(g.node('Unsqueeze', [v, g.int64([0])]));
    const q = g.node('MatMul', [x, w('q', 4)]);
    // softmax(q·Kᵀ/√d)·V
    const scores = g.node('Div', [g.node('MatMul', [q, g.node('Transpose', [k], [attr.ints('perm', [0, 2, 1])])]), g.float(Math.sqrt(width))]);
    const attended = g.node('MatMul', [g.node('Softmax', [scores], [attr.int('axis', -1)]), v]);
    x = g.node('Add', [x, g.node('Tanh', [g.node('MatMul', [attended, w('o', 5)])])]);
  }
  g.node('MatMul', [x, g.initializer(weights('unembed', width, vocab, 99))], [], 'logits');
  g.node('Concat', presentK, [attr.int('axis', 0)], 'present_k');
  g.node('Concat', presentV, [attr.int('axis', 0)], 'present_v');
  for (const output of contract.outputs) g.output({ name: output.name, elemType: ELEMENT_INFO[output.type].onnx, dims: output.dims });
  return encodeModel(g.build({ graphName: 'ar-decoder', opset: 17 }));
}

/** A test plugin whose only graph is the AR decoder of `shape`. */
export function arPlugin(name: string, shape: ArShape = SMALL_AR, memoryMb?: number): PluginDecl {
  return definePlugin({
    name,
    title: `AR decoder (${name})`,
    task: 'tts',
    summary: 'A random-weight decoder for loop tests.',
    license: 'Apache-2.0',
    sampleRate: 16000,
    graphs: { decoder: { ...arContract(shape), ...(memoryMb === undefined ? {} : { memoryMb }) } },
    routes: [],
  }) as PluginDecl;
}
