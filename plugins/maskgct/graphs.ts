// MaskGCT's graph contracts. The cut keeps every loop in TypeScript: one graph call is one
// network evaluation, and sampling, guidance and re-masking happen between calls. Classifier-
// free guidance acts on hidden states *before* the logit head (maskgct_t2s.py, maskgct_s2a.py
// `reverse_diffusion`), so each transformer is split into a step graph (both passes, hidden
// states out) and a small logits graph (the head). EXPORT.md gives the recipe for each file.
import type { GraphContract } from '../../core/plugin/types.ts';
import { t2sGraphs } from '../maskgct-common/t2s-graphs.ts';
import { w2vBertGraph } from '../w2v-bert/front-end.ts';
import { MASKGCT } from './settings.ts';

const { semanticVocab, acousticVocab, acousticLayers, s2aHidden, w2vBertDim, fbankDim, vocosBins, hop } = MASKGCT;

export const graphs = {
  w2v_bert: w2vBertGraph,
  semantic_codec: {
    file: 'semantic_codec.onnx',
    device: 'gpu',
    memoryMb: 90,
    description: 'RepCodec encoder + quantizer; normalises with MaskGCT\'s wav2vec2bert_stats first',
    inputs: [{ name: 'hidden_states', type: 'float32', dims: [1, 'frames', w2vBertDim] }],
    outputs: [{ name: 'semantic_ids', type: 'int64', dims: [1, 'frames'], vocab: semanticVocab }],
  },
  acoustic_encoder: {
    file: 'acoustic_encoder.onnx',
    device: 'gpu',
    memoryMb: 175,
    description: 'Acoustic codec encoder + 12-layer factorized RVQ: 24 kHz waveform to codes, 50 frames per second',
    inputs: [{ name: 'waveform', type: 'float32', dims: [1, 1, 'samples'], description: '24 kHz mono, a whole number of 480-sample frames' }],
    outputs: [{ name: 'acoustic_ids', type: 'int64', dims: [1, `samples/${hop}`, acousticLayers], vocab: acousticVocab }],
  },
  ...t2sGraphs,
  s2a_1layer_step: {
    file: 's2a_1layer_step.onnx',
    device: 'gpu',
    memoryMb: 1330,
    description: 'S2A model with one codebook (predicts acoustic layer 0), one mask-predict step, both passes',
    inputs: [
      { name: 'semantic_ids', type: 'int64', dims: [1, 'frames'], description: 'reference + generated semantic tokens; frames = prompt + target' },
      { name: 'prompt_ids', type: 'int64', dims: [1, 'prompt'], description: 'layer 0 of the reference acoustic codes' },
      { name: 'target_ids', type: 'int64', dims: [1, 'target'], description: 'layer-0 codes so far; masked positions hold 0' },
      { name: 'target_mask', type: 'bool', dims: [1, 'target'] },
      { name: 't', type: 'float32', dims: [1] },
    ],
    outputs: [
      { name: 'hidden_cond', type: 'float32', dims: [1, 'target', s2aHidden] },
      { name: 'hidden_uncond', type: 'float32', dims: [1, 'target', s2aHidden] },
    ],
  },
  s2a_1layer_logits: {
    file: 's2a_1layer_logits.onnx',
    device: 'gpu',
    memoryMb: 5,
    description: 'to_logits[0] of the one-layer S2A model',
    inputs: [{ name: 'hidden', type: 'float32', dims: [1, 'target', s2aHidden] }],
    outputs: [{ name: 'logits', type: 'float32', dims: [1, 'target', acousticVocab] }],
  },
  s2a_full_step: {
    file: 's2a_full_step.onnx',
    device: 'gpu',
    memoryMb: 1420,
    description: 'S2A model with 12 codebooks, one mask-predict step of one layer (1..11), both passes',
    inputs: [
      { name: 'semantic_ids', type: 'int64', dims: [1, 'frames'], description: 'frames = prompt + target' },
      { name: 'prompt_ids', type: 'int64', dims: [1, 'prompt', acousticLayers], description: 'all 12 layers of the reference acoustic codes' },
      { name: 'target_ids', type: 'int64', dims: [1, 'target', acousticLayers], description: 'layers below `layer` decided, `layer` in progress (masked positions 0), layers above ignored' },
      { name: 'target_mask', type: 'bool', dims: [1, 'target'], description: 'mask of the layer in progress' },
      { name: 'layer', type: 'int64', dims: [1], description: 'acoustic layer being generated, 1..11' },
      { name: 't', type: 'float32', dims: [1] },
    ],
    outputs: [
      { name: 'hidden_cond', type: 'float32', dims: [1, 'target', s2aHidden] },
      { name: 'hidden_uncond', type: 'float32', dims: [1, 'target', s2aHidden] },
    ],
  },
  s2a_full_logits: {
    file: 's2a_full_logits.onnx',
    device: 'gpu',
    memoryMb: 50,
    description: 'to_logits[layer] of the 12-layer S2A model (heads stacked, gathered by layer)',
    inputs: [
      { name: 'hidden', type: 'float32', dims: [1, 'target', s2aHidden] },
      { name: 'layer', type: 'int64', dims: [1] },
    ],
    outputs: [{ name: 'logits', type: 'float32', dims: [1, 'target', acousticVocab] }],
  },
  acoustic_decoder: {
    file: 'acoustic_decoder.onnx',
    device: 'gpu',
    memoryMb: 520,
    description: 'Codec vq2emb + Vocos backbone + ISTFT head up to the spectrum; the inverse STFT runs in TypeScript',
    inputs: [{ name: 'acoustic_ids', type: 'int64', dims: [1, 'frames', acousticLayers] }],
    outputs: [
      { name: 'real', type: 'float32', dims: [1, vocosBins, 'frames'], description: 'mag·cos(phase), mag = min(exp(log_mag), 100)' },
      { name: 'imag', type: 'float32', dims: [1, vocosBins, 'frames'], description: 'mag·sin(phase)' },
    ],
  },
} as const satisfies Record<string, GraphContract>;

export type MaskgctGraph = keyof typeof graphs;
