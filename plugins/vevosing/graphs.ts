// VevoSing's graph contracts. Dims are tied by name inside each graph: Whisper features and the
// chromagram share `frames` (50 Hz) in the content-style tokenizer, whose ids come out
// ceil(frames/4) long (two stride-2 convs, k3 p1: ceil(ceil(T/2)/2)); written
// `frames-frames*3/4` because contract expressions divide rounding down (T − ⌊3T/4⌋ = ⌈T/4⌉).
// fm_cond embeds 12.5 Hz tokens and upsamples them ×4 (resampling_layers: 2 × ConvTranspose1d
// k4 s2 p1 + GELU) to the mel rate. The acoustic half (fm_estimator, vocoder) is Vevo's
// (plugins/vevo-common), as are the AR graph's shape and the Whisper encoder's contract.
import type { GraphContract } from '../../core/plugin/types.ts';
import { llamaArGraph } from '../llama-ar/graph.ts';
import { acousticGraphs } from '../vevo-common/graphs.ts';
import { VEVO_ACOUSTIC } from '../vevo-common/settings.ts';
import { whisperEncoderGraph, WHISPER_ENCODERS } from '../whisper-encoder/contract.ts';
import { AR_VOCAB, VEVOSING } from './settings.ts';

const { whisperDim, contentStyleVocab, prosodyVocab, chroma } = VEVOSING;

export const graphs = {
  whisper_encoder: whisperEncoderGraph(WHISPER_ENCODERS.medium, 'whisper_medium_encoder.onnx'),
  content_style_tokenizer: {
    file: 'content_style_tokenizer.onnx',
    device: 'gpu',
    memoryMb: 160,
    description: 'CocoContentStyle (contentstyle_fvq16384_12.5hz): Linear(whisper) + Linear(chroma) → 2 × (Conv1d s2 + GELU) → VocosBackbone → Linear → FVQ 16384',
    inputs: [
      { name: 'whisper', type: 'float32', dims: [1, 'frames', whisperDim], description: 'Whisper-medium features, normalised with whisper_stats.json, 50 Hz' },
      { name: 'chroma', type: 'float32', dims: [1, 'frames', chroma.nChroma], description: '24-bin chromagram, 50 Hz' },
    ],
    outputs: [{ name: 'ids', type: 'int64', dims: [1, 'frames-frames*3/4'], vocab: contentStyleVocab, description: 'content-style tokens, 12.5 Hz' }],
  },
  prosody_tokenizer: {
    file: 'prosody_tokenizer.onnx',
    device: 'gpu',
    memoryMb: 180,
    description: 'CocoStyle (prosody_fvq512_6.25hz): Linear(chroma) → 3 × (Conv1d s2 + GELU) → VocosBackbone → Linear → FVQ 512',
    inputs: [{ name: 'chroma', type: 'float32', dims: [1, 'frames', chroma.nChroma], description: '24-bin chromagram, 50 Hz' }],
    outputs: [{ name: 'ids', type: 'int64', dims: [1, 'frames-frames*7/8'], vocab: prosodyVocab, description: 'prosody tokens, 6.25 Hz' }],
  },
  ar: llamaArGraph(
    { layers: VEVOSING.ar.layers, heads: VEVOSING.ar.heads, headDim: VEVOSING.ar.headDim, vocab: AR_VOCAB },
    'ar_singnet7k.onnx',
    3150,
    'AutoregressiveTransformer Llama (ar_emilia101k_singnet7k: 12 layers, 1920 wide): phones + prosody + content-style prompt → content-style tokens',
  ),
  fm_cond: {
    file: 'fm_cond.onnx',
    device: 'gpu',
    memoryMb: 100,
    description: 'FlowMatchingTransformer.cond_emb (16384 rows) then resampling_layers (×4): 12.5 Hz content-style tokens → 50 Hz frame conditions',
    inputs: [{ name: 'cond_ids', type: 'int64', dims: [1, 'tokens'], description: 'timbre reference tokens then target tokens' }],
    outputs: [{ name: 'cond', type: 'float32', dims: [1, 'tokens*4', VEVO_ACOUSTIC.fmHidden] }],
  },
  fm_estimator: { ...acousticGraphs.fm_estimator, file: 'fm_estimator.onnx', description: `${acousticGraphs.fm_estimator.description} (fm_emilia101k_singnet7k)` },
  vocoder: acousticGraphs.vocoder,
} as const satisfies Record<string, GraphContract>;

export type VevosingGraph = keyof typeof graphs;
