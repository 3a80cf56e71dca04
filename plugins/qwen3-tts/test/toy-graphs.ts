// Tiny hand-built Qwen3-TTS loop graphs with known maths, for the oracle test of the nested
// loop and the bench: each has the real graph's name and contract (qwen3Graphs of a toy
// variant) and computes something simple that oracle.ts restates in plain arithmetic:
//   text_embed            sin(id·a + b)                codec_embed  sin(id·c + d)
//   code_predictor_embed  sin(code·e + group·f + g)
//   talker                cache += (x, x·Wv); h = tanh(x·Wx + mean(V) + ½·mean(K)); logits = h_last·W + bias
//   code_predictor        the same, logits = h_last·heads[step]
import { seededRandom } from '../../../core/generation/rng.ts';
import { attr, floatTensor, makeGraphBuilder, type GraphBuilder } from '../../../core/onnx/graph-builder.ts';
import { encodeModel } from '../../../core/onnx/onnx-proto.ts';
import { ELEMENT_INFO } from '../../../core/onnx/tensor-types.ts';
import { definePlugin } from '../../../core/plugin/define-plugin.ts';
import type { GraphContract, PluginDecl } from '../../../core/plugin/types.ts';
import { LOOP_GRAPHS, qwen3Graphs } from '../graphs.ts';
import { QWEN3, type Qwen3Variant } from '../variants.ts';

export type EosMode = 'never' | 'always';

export function toyVariant(hidden: number): Qwen3Variant {
  const d = { hidden, layers: 1, kvHeads: 1, headDim: hidden };
  return { id: 'toy', plugin: 'qwen3-toy', title: 'Qwen3-TTS toy', checkpoint: 'none', modes: ['voice', 'clone', 'instructions'], talker: d, predictor: d, textInPrefill: false, memoryMb: { talker: 1, textEmbed: 1, predictor: 1, tokenizer: 1 } };
}

export interface ToyWeights {
  readonly hidden: number;
  /** Per-width vectors of the three embeddings. */
  readonly text: { readonly a: Float32Array; readonly b: Float32Array };
  readonly codec: { readonly c: Float32Array; readonly d: Float32Array };
  readonly group: { readonly e: Float32Array; readonly f: Float32Array; readonly g: Float32Array };
  readonly talker: { readonly wx: Float32Array; readonly wv: Float32Array; readonly head: Float32Array; readonly bias: Float32Array };
  /** heads: [15, H, 2048]. */
  readonly predictor: { readonly wx: Float32Array; readonly wv: Float32Array; readonly heads: Float32Array };
}

/** Deterministic values, uniform in ±scale (a seeded generator: no near-equal columns, so greedy choices have clear margins). */
function values(n: number, seed: number, scale: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (2 * random() - 1) * scale);
}

export function toyWeights(eos: EosMode = 'never', hidden = 4): ToyWeights {
  const H = hidden;
  const bias = new Float32Array(QWEN3.talkerVocab);
  bias[QWEN3.codec.eos] = eos === 'always' ? 50 : -50;
  return {
    hidden,
    text: { a: values(H, 1, 2e-4), b: values(H, 2, 3) },
    codec: { c: values(H, 3, 1e-2), d: values(H, 4, 3) },
    group: { e: values(H, 5, 1e-2), f: values(H, 6, 0.5), g: values(H, 7, 3) },
    talker: { wx: values(H * H, 8, 1.2), wv: values(H * H, 9, 1.2), head: values(H * QWEN3.talkerVocab, 10, 2), bias },
    predictor: { wx: values(H * H, 11, 1.2), wv: values(H * H, 12, 1.2), heads: values(15 * H * QWEN3.codebook, 13, 2) },
  };
}

let counter = 0;
const init = (g: GraphBuilder, data: Float32Array, dims: readonly number[]) => g.initializer(floatTensor(`w${counter++}`, [...data], dims));

function start(contract: GraphContract): GraphBuilder {
  const g = makeGraphBuilder();
  for (const input of contract.inputs) g.input({ name: input.name, elemType: ELEMENT_INFO[input.type].onnx, dims: input.dims });
  return g;
}

function finish(g: GraphBuilder, contract: GraphContract, name: string): Uint8Array {
  for (const output of contract.outputs) g.output({ name: output.name, elemType: ELEMENT_INFO[output.type].onnx, dims: output.dims });
  return encodeModel(g.build({ graphName: name, opset: 17 }));
}

/** ids [1, n] → sin(ids·scale + shift) [1, n, H], plus an optional extra term before the sine. */
function sineEmbed(g: GraphBuilder, ids: string, scale: Float32Array, shift: Float32Array, extra?: string): string {
  const x = g.node('Unsqueeze', [g.node('Cast', [ids], [attr.int('to', ELEMENT_INFO.float32.onnx)]), g.int64([2])]); // [1, n, 1]
  let arg = g.node('Add', [g.node('Mul', [x, init(g, scale, [scale.length])]), init(g, shift, [shift.length])]);
  if (extra) arg = g.node('Add', [arg, extra]);
  return g.node('Sin', [arg], [], 'embeds');
}

/** The toy decoder: caches grow by (x, x·Wv); hidden of the last position, [1, H]. */
function toyDecoder(g: GraphBuilder, w: { wx: Float32Array; wv: Float32Array }, H: number): string {
  const lift = (t: string) => g.node('Unsqueeze', [t, g.int64([0, 1])]); // [1, n, H] → [1, 1, 1, n, H]
  const presentK = g.node('Concat', ['past_k', lift('embeds')], [attr.int('axis', 3)], 'present_k');
  const presentV = g.node('Concat', ['past_v', lift(g.node('MatMul', ['embeds', init(g, w.wv, [H, H])]))], [attr.int('axis', 3)], 'present_v');
  const mean = (t: string) => g.node('Reshape', [g.node('ReduceMean', [t], [attr.ints('axes', [3]), attr.int('keepdims', 1)]), g.int64([1, 1, H])]);
  const context = g.node('Add', [mean(presentV), g.node('Mul', [mean(presentK), g.float(0.5)])]);
  const hidden = g.node('Tanh', [g.node('Add', [g.node('MatMul', ['embeds', init(g, w.wx, [H, H])]), context])]); // [1, n, H]
  return g.node('Reshape', [g.node('Slice', [hidden, g.int64([-1]), g.int64([2 ** 31]), g.int64([1])]), g.int64([1, H])]);
}

/** The five loop graphs as ONNX bytes, keyed by file name. */
export function toyGraphFiles(w: ToyWeights): Record<string, Uint8Array> {
  const H = w.hidden;
  const contracts = qwen3Graphs(toyVariant(H)) as Record<string, GraphContract>;
  const files: Record<string, Uint8Array> = {};
  const build = (name: string, body: (g: GraphBuilder) => void) => {
    const g = start(contracts[name]!);
    body(g);
    files[contracts[name]!.file] = finish(g, contracts[name]!, `toy-${name}`);
  };
  build('text_embed', (g) => sineEmbed(g, 'text_ids', w.text.a, w.text.b));
  build('codec_embed', (g) => sineEmbed(g, 'codec_ids', w.codec.c, w.codec.d));
  build('code_predictor_embed', (g) => {
    const group = g.node('Mul', [g.node('Cast', ['group'], [attr.int('to', ELEMENT_INFO.float32.onnx)]), init(g, w.group.f, [H])]); // [H]
    sineEmbed(g, 'codes', w.group.e, w.group.g, group);
  });
  build('talker', (g) => {
    const last = toyDecoder(g, w.talker, H);
    g.node('Identity', [last], [], 'hidden');
    g.node('Add', [g.node('MatMul', [last, init(g, w.talker.head, [H, QWEN3.talkerVocab])]), init(g, w.talker.bias, [QWEN3.talkerVocab])], [], 'logits');
  });
  build('code_predictor', (g) => {
    const last = toyDecoder(g, w.predictor, H);
    const head = g.node('Reshape', [g.node('Gather', [init(g, w.predictor.heads, [15, H, QWEN3.codebook]), 'step'], [attr.int('axis', 0)]), g.int64([H, QWEN3.codebook])]);
    g.node('MatMul', [last, head], [], 'logits');
  });
  return files;
}

/** A plugin declaring the toy loop graphs (for a session manager in tests and benches). */
export function toyPlugin(name: string, hidden = 4): PluginDecl {
  const all = qwen3Graphs(toyVariant(hidden)) as Record<string, GraphContract>;
  const graphs = Object.fromEntries(LOOP_GRAPHS.map((g) => [g, all[g]!]));
  return definePlugin({ name, title: 'Qwen3-TTS toy graphs', task: 'tts', summary: 'Hand-built graphs for loop tests.', license: 'Apache-2.0', sampleRate: 24000, graphs, routes: [] }) as PluginDecl;
}
