// Tiny hand-built VoxCPM graphs with known maths, for the oracle test of the loop and the
// bench: each has the real graph's name and contract (voxcpmGraphs of TOY_VARIANT), and
// computes something simple that oracle.ts restates in plain arithmetic:
//   text_embed  E[id]·scale                       loc_enc   tanh(mean_p(patch)·W)
//   base_lm     cache += (x, x·Wv); h = tanh(x·Wx + mean(V) + ½·mean(K))   (every position sees the whole cache)
//   residual_lm the same over lm_hidden + feat_embeds
//   fsq         round(tanh(x·A)·9)/9·B             dit_condition  lm·P + res·Q
//   loc_dit     v = tanh(x·Wx + mu·Wm + t·wt + ½·cond + dt·wd)  per (batch, position)
//   stop_head   lm·S + bias
import { attr, floatTensor, makeGraphBuilder, type GraphBuilder } from '../../../core/onnx/graph-builder.ts';
import { encodeModel } from '../../../core/onnx/onnx-proto.ts';
import { ELEMENT_INFO } from '../../../core/onnx/tensor-types.ts';
import type { GraphContract, PluginDecl } from '../../../core/plugin/types.ts';
import { definePlugin } from '../../../core/plugin/define-plugin.ts';
import { voxcpmGraphs } from '../graphs.ts';
import type { VoxcpmVariant } from '../variants.ts';

export interface ToySizes {
  readonly hidden: number;
  readonly latentDim: number;
  readonly patchSize: number;
  readonly fsqDim: number;
  readonly vocab: number;
}

export const TOY_SIZES: ToySizes = { hidden: 4, latentDim: 3, patchSize: 2, fsqDim: 3, vocab: 128 };

export function toyVariant(sizes: ToySizes = TOY_SIZES): VoxcpmVariant {
  return {
    id: 'toy',
    title: 'VoxCPM toy',
    checkpoint: 'none',
    patchSize: sizes.patchSize,
    latentDim: sizes.latentDim,
    lm: { hidden: sizes.hidden, layers: 1, kvHeads: 1, headDim: sizes.hidden },
    residualLayers: 1,
    muDim: sizes.hidden,
    encoder: { sampleRate: 16000, hop: 640 },
    decoder: { sampleRate: 16000, hop: 640 },
    memoryMb: { lm: 1, residual: 1, local: 1, vae: 1 },
  };
}

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float32Array;
}

export type StopMode = 'learned' | 'always' | 'never';

export interface ToyWeights {
  readonly sizes: ToySizes;
  readonly scale: number;
  readonly embed: Matrix;
  readonly locEnc: Matrix;
  readonly base: { readonly wx: Matrix; readonly wv: Matrix };
  readonly residual: { readonly wx: Matrix; readonly wv: Matrix };
  readonly fsqIn: Matrix;
  readonly fsqOut: Matrix;
  readonly lmToMu: Matrix;
  readonly resToMu: Matrix;
  readonly ditX: Matrix;
  readonly ditMu: Matrix;
  readonly ditT: Matrix;
  readonly ditDt: Matrix;
  readonly stop: Matrix;
  readonly stopBias: Matrix;
}

/** Deterministic pseudo-random values (a sine hash), scaled like Xavier. */
function matrix(rows: number, cols: number, seed: number, gain = 1.7): Matrix {
  const scale = Math.sqrt(2 / (rows + cols)) * gain;
  return { rows, cols, values: Float32Array.from({ length: rows * cols }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * scale) };
}

export function toyWeights(stop: StopMode = 'learned', sizes: ToySizes = TOY_SIZES): ToyWeights {
  const { hidden: h, latentDim: D, fsqDim, vocab } = sizes;
  const stopBias = { always: [0, 50], never: [50, 0], learned: [0, -0.4] }[stop];
  return {
    sizes,
    scale: 1.5,
    embed: matrix(vocab, h, 1),
    locEnc: matrix(D, h, 2),
    base: { wx: matrix(h, h, 3), wv: matrix(h, h, 4) },
    residual: { wx: matrix(h, h, 5), wv: matrix(h, h, 6) },
    fsqIn: matrix(h, fsqDim, 7),
    fsqOut: matrix(fsqDim, h, 8),
    lmToMu: matrix(h, h, 9),
    resToMu: matrix(h, h, 10),
    ditX: matrix(D, D, 11),
    ditMu: matrix(h, D, 12),
    ditT: matrix(1, D, 13),
    ditDt: matrix(1, D, 14),
    stop: stop === 'learned' ? matrix(h, 2, 15, 4) : { rows: h, cols: 2, values: new Float32Array(h * 2) },
    stopBias: { rows: 1, cols: 2, values: Float32Array.from(stopBias) },
  };
}

let counter = 0;
const init = (g: GraphBuilder, m: Matrix) => g.initializer(floatTensor(`w${counter++}`, [...m.values], [m.rows, m.cols]));
const row = (g: GraphBuilder, m: Matrix) => g.initializer(floatTensor(`w${counter++}`, [...m.values], [m.cols]));

function finish(g: GraphBuilder, contract: GraphContract, name: string): Uint8Array {
  for (const output of contract.outputs) g.output({ name: output.name, elemType: ELEMENT_INFO[output.type].onnx, dims: output.dims });
  return encodeModel(g.build({ graphName: name, opset: 17 }));
}

function start(contract: GraphContract): GraphBuilder {
  const g = makeGraphBuilder();
  for (const input of contract.inputs) g.input({ name: input.name, elemType: ELEMENT_INFO[input.type].onnx, dims: input.dims });
  return g;
}

function toyLm(g: GraphBuilder, x: string, w: { wx: Matrix; wv: Matrix }, h: number) {
  const lift = (t: string) => g.node('Unsqueeze', [t, g.int64([0, 1])]); // [1, n, h] → [1, 1, 1, n, h]
  const presentK = g.node('Concat', ['past_k', lift(x)], [attr.int('axis', 3)], 'present_k');
  const presentV = g.node('Concat', ['past_v', lift(g.node('MatMul', [x, init(g, w.wv)]))], [attr.int('axis', 3)], 'present_v');
  const mean = (t: string) => g.node('Reshape', [g.node('ReduceMean', [t], [attr.ints('axes', [3]), attr.int('keepdims', 1)]), g.int64([1, 1, h])]);
  const context = g.node('Add', [mean(presentV), g.node('Mul', [mean(presentK), g.float(0.5)])]);
  g.node('Tanh', [g.node('Add', [g.node('MatMul', [x, init(g, w.wx)]), context])], [], 'hidden');
}

/** Every loop graph (the VAE is not part of the loop) as ONNX bytes, keyed by file name. */
export function toyGraphFiles(w: ToyWeights): Record<string, Uint8Array> {
  const contracts = voxcpmGraphs(toyVariant(w.sizes)) as Record<string, GraphContract>;
  const h = w.sizes.hidden;
  const files: Record<string, Uint8Array> = {};
  const build = (name: string, body: (g: GraphBuilder) => void) => {
    const g = start(contracts[name]!);
    body(g);
    files[contracts[name]!.file] = finish(g, contracts[name]!, `toy-${name}`);
  };
  build('text_embed', (g) => g.node('Mul', [g.node('Gather', [init(g, w.embed), 'text_ids'], [attr.int('axis', 0)]), g.float(w.scale)], [], 'embeds'));
  build('loc_enc', (g) => {
    const mean = g.node('ReduceMean', ['patches'], [attr.ints('axes', [2]), attr.int('keepdims', 0)]); // [1, T, D]
    g.node('Tanh', [g.node('MatMul', [mean, init(g, w.locEnc)])], [], 'embeds');
  });
  build('base_lm', (g) => toyLm(g, 'embeds', w.base, h));
  build('residual_lm', (g) => toyLm(g, g.node('Add', ['lm_hidden', 'feat_embeds']), w.residual, h));
  build('fsq', (g) => {
    const scaled = g.node('Mul', [g.node('Tanh', [g.node('MatMul', ['hidden', init(g, w.fsqIn)])]), g.float(9)]);
    g.node('MatMul', [g.node('Div', [g.node('Round', [scaled]), g.float(9)]), init(g, w.fsqOut)], [], 'quantized');
  });
  build('dit_condition', (g) => g.node('Add', [g.node('MatMul', ['lm_hidden', init(g, w.lmToMu)]), g.node('MatMul', ['residual_hidden', init(g, w.resToMu)])], [], 'mu'));
  build('loc_dit', (g) => {
    const perm = [attr.ints('perm', [0, 2, 1])];
    const x = g.node('MatMul', [g.node('Transpose', ['x'], perm), init(g, w.ditX)]); // [b, P, D]
    const lift = (t: string) => g.node('Unsqueeze', [t, g.int64([1])]); // [b, D] → [b, 1, D]
    const mu = lift(g.node('MatMul', ['mu', init(g, w.ditMu)]));
    const t = lift(g.node('Mul', [g.node('Unsqueeze', ['t', g.int64([1])]), row(g, w.ditT)]));
    const dt = lift(g.node('Mul', [g.node('Unsqueeze', ['dt', g.int64([1])]), row(g, w.ditDt)]));
    const cond = g.node('Mul', [g.node('Transpose', ['cond'], perm), g.float(0.5)]);
    const sum = g.node('Add', [g.node('Add', [g.node('Add', [x, mu]), g.node('Add', [t, dt])]), cond]);
    g.node('Transpose', [g.node('Tanh', [sum])], perm, 'velocity');
  });
  build('stop_head', (g) => g.node('Add', [g.node('MatMul', ['lm_hidden', init(g, w.stop)]), row(g, w.stopBias)], [], 'logits'));
  return files;
}

/** A plugin declaring the toy variant's graphs (for a session manager in tests and benches). */
export function toyPlugin(name: string, sizes: ToySizes = TOY_SIZES): PluginDecl {
  const graphs = voxcpmGraphs(toyVariant(sizes)) as Record<string, GraphContract>;
  const { vae_encoder: _e, vae_decoder: _d, ...loop } = graphs;
  return definePlugin({ name, title: 'VoxCPM toy graphs', task: 'tts', summary: 'Hand-built graphs for loop tests.', license: 'Apache-2.0', sampleRate: 16000, graphs: loop, routes: [] }) as PluginDecl;
}
