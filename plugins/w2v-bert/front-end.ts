// facebook/w2v-bert-2.0 as the Amphion codecs use it (MaskGCT's semantic tokens, DualCodec's
// semantic stream): SeamlessM4T Kaldi-fbank features in, hidden_states[17] out. One exported
// file serves every plugin that imports this contract. Facts: shared/design/models.md §A6.
import type { GraphContract } from '../../core/plugin/types.ts';

export const W2V_BERT = {
  sampleRate: 16000,
  /** Stacked SeamlessM4T features: 80 fbank bins × 2 frames, 50 per second. */
  featureDim: 160,
  /** Width of hidden_states. */
  hiddenDim: 1024,
} as const;

/** SeamlessM4TFeatureExtractor as configured for facebook/w2v-bert-2.0 (preprocessor_config.json). */
export const W2V_BERT_FBANK = {
  sampleRate: 16000,
  numMelBins: 80,
  frameLengthMs: 25,
  frameShiftMs: 10,
  preemphasis: 0.97,
  removeDcOffset: true,
  window: 'povey',
  lowFreq: 20,
  highFreq: 0,
  usePower: true,
  useLog: true,
  waveformScale: 32768,
  normalize: { perBin: true, ddof: 1, epsilon: 1e-7 },
  stack: 2,
} as const;

/** Kaldi frames of a clip (snip_edges): 1 + ⌊(n − 400)/160⌋ at 16 kHz, 0 below one window. */
export function kaldiFrameCount(samples: number, sampleRate = W2V_BERT_FBANK.sampleRate): number {
  const window = Math.round((sampleRate * W2V_BERT_FBANK.frameLengthMs) / 1000);
  const shift = Math.round((sampleRate * W2V_BERT_FBANK.frameShiftMs) / 1000);
  return samples < window ? 0 : 1 + Math.floor((samples - window) / shift);
}

/**
 * The stacked frames' attention mask: SeamlessM4T pads an odd fbank count with one frame
 * and keeps the mask of every second frame (`attention_mask[:, 1::2]`), so the last stacked
 * frame is masked exactly when the count was odd.
 */
export function stackedAttentionMask(fbankFrames: number): number[] {
  const stacked = Math.ceil(fbankFrames / W2V_BERT_FBANK.stack);
  const mask = new Array<number>(stacked).fill(1);
  if (fbankFrames % W2V_BERT_FBANK.stack !== 0 && stacked > 0) mask[stacked - 1] = 0;
  return mask;
}

export const w2vBertGraph = {
  file: 'w2v_bert.onnx',
  device: 'gpu',
  memoryMb: 1650,
  description: 'facebook/w2v-bert-2.0 cut after layer 17: hidden_states[17], not normalised',
  inputs: [
    { name: 'input_features', type: 'float32', dims: [1, 'frames', W2V_BERT.featureDim], description: 'SeamlessM4T fbank: 80 bins, 2 frames stacked, 50 per second' },
    { name: 'attention_mask', type: 'int64', dims: [1, 'frames'], description: '1 for real frames, 0 for the padding frame of an odd fbank count' },
  ],
  outputs: [{ name: 'hidden_states', type: 'float32', dims: [1, 'frames', W2V_BERT.hiddenDim] }],
} as const satisfies GraphContract;
