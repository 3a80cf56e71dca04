// Vevo's graph contracts. Dims are tied by name: HuBERT's `frames` feed both tokenizers, the
// tokens feed the ARs and fm_cond. Each AR is one graph used for prefill (past = 0) and for
// every step (tokens = 1): explicit past/present K/V, positions taken from the past length,
// no padding mask (batch 1). The acoustic half (fm_cond, fm_estimator, vocoder) is shared
// with VevoSing (plugins/vevo-common). EXPORT.md gives the recipe for each file.
import type { GraphContract } from '../../core/plugin/types.ts';
import { llamaArGraph } from '../llama-ar/graph.ts';
import { acousticGraphs } from '../vevo-common/graphs.ts';
import { arVocab, VEVO, type ArName } from './settings.ts';

const { hubertDim, contentVocab, contentStyleVocab } = VEVO;

function arGraph(name: ArName, file: string, memoryMb: number, description: string) {
  return llamaArGraph({ ...VEVO.ar[name], vocab: arVocab(name) }, file, memoryMb, description);
}

export const graphs = {
  hubert: {
    file: 'hubert.onnx',
    device: 'gpu',
    memoryMb: 1000,
    description: 'HuBERT-Large up to layer 18 (torchaudio HUBERT_LARGE extract_features(num_layers=18)[-1]); the waveform layer-norm is done before, in TypeScript',
    inputs: [{ name: 'waveform', type: 'float32', dims: [1, 'samples'], description: '16 kHz mono, zero mean and unit variance over the clip, cut to 320·frames + 80 samples' }],
    outputs: [{ name: 'features', type: 'float32', dims: [1, 'samples/320', hubertDim], description: 'one frame per 400-sample window every 320 samples (50 per second)' }],
  },
  content_tokenizer: {
    file: 'content_tokenizer.onnx',
    device: 'gpu',
    memoryMb: 120,
    description: 'vq32 VevoRepCodec: encoder → projector → nearest of 32 codes, on the raw HuBERT features',
    inputs: [{ name: 'features', type: 'float32', dims: [1, 'frames', hubertDim] }],
    outputs: [{ name: 'ids', type: 'int64', dims: [1, 'frames'], vocab: contentVocab }],
  },
  content_style_tokenizer: {
    file: 'content_style_tokenizer.onnx',
    device: 'gpu',
    memoryMb: 90,
    description: 'vq8192 RepCodec: encoder → factorised VQ, on the HuBERT features normalised with hubert_l18_stats.json',
    inputs: [{ name: 'features', type: 'float32', dims: [1, 'frames', hubertDim] }],
    outputs: [{ name: 'ids', type: 'int64', dims: [1, 'frames'], vocab: contentStyleVocab }],
  },
  ar_tts: arGraph('tts', 'ar_phone_to_vq8192.onnx', 3000, 'PhoneToVq8192 Llama (12 layers, 1920 wide): phones + style prompt → vq8192 tokens'),
  ar_vc: arGraph('vc', 'ar_vq32_to_vq8192.onnx', 1950, 'Vq32ToVq8192 Llama (12 layers, 1536 wide): reduced content tokens + style prompt → vq8192 tokens'),
  ...acousticGraphs,
} as const satisfies Record<string, GraphContract>;

export type VevoGraph = keyof typeof graphs;
