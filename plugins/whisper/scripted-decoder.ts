// Test support: a Whisper decoder graph with the real contract whose logits follow a
// script instead of weights, so the decoding loop can be run on a real onnxruntime session
// and its stopping checked: after each position p it puts all the weight on token
// `firstText + p` while p < endAt, and on <|endoftext|> from then on. The caches pass through.
import { attr, makeGraphBuilder } from '../../core/onnx/graph-builder.ts';
import { encodeModel } from '../../core/onnx/onnx-proto.ts';
import { ELEMENT_INFO } from '../../core/onnx/tensor-types.ts';
import type { GraphContract } from '../../core/plugin/types.ts';

export function scriptedDecoderBytes(contract: GraphContract, script: { firstText: number; endAt: number; eot: number; vocab: number }): Uint8Array {
  const g = makeGraphBuilder('_script');
  for (const input of contract.inputs) g.input({ name: input.name, elemType: ELEMENT_INFO[input.type].onnx, dims: input.dims });
  // p = offset + n − 1, the position of the last fed token
  const n = g.node('Shape', ['tokens'], [attr.int('start', 1), attr.int('end', 2)]);
  const last = g.node('Sub', [g.node('Add', ['offset', n]), g.int64([1])]);
  const target = g.node('Where', [g.node('Less', [last, g.int64([script.endAt])]), g.node('Add', [last, g.int64([script.firstText])]), g.int64([script.eot])]);
  // one row [1, 1, vocab] with 30 at the target, repeated for every fed token
  const row = g.node('OneHot', [g.node('Unsqueeze', [target, g.int64([0])]), g.int64([script.vocab], []), g.float([0, 30])], [attr.int('axis', -1)]);
  const shape = g.node('Concat', [g.int64([1]), n, g.int64([script.vocab])], [attr.int('axis', 0)]);
  g.node('Expand', [row, shape], [], 'logits');
  g.node('Identity', ['in_n_layer_self_k_cache'], [], 'out_n_layer_self_k_cache');
  g.node('Identity', ['in_n_layer_self_v_cache'], [], 'out_n_layer_self_v_cache');
  for (const output of contract.outputs) g.output({ name: output.name, elemType: ELEMENT_INFO[output.type].onnx, dims: output.dims });
  return encodeModel(g.build({ graphName: 'whisper.decoder.scripted', opset: 17 }));
}
