// DualCodec's semantic input: w2v-BERT 2.0 hidden_states[17] of the clip at 16 kHz,
// averaged over `semantic_downsample_factor` frames (inference_with_semantic.py `encode`:
// SeamlessM4T features → w2v-BERT → avg_pool1d). The Emilia mean/variance normalisation
// the original applies before pooling is per channel and affine, so it commutes with the
// average and lives in the encoder graph.
//
// The reference resamples the unpadded clip and lets the DAC encoder pad it; its last
// codec frame then has no semantic row and is dropped (the output is zero-padded back).
// Here the padded clip is resampled instead, plus 240 samples so the 25 ms Kaldi windows
// tile it exactly: 2 Kaldi frames per 320 samples, one stacked 50 Hz frame, so every codec
// frame gets exactly `semantic_downsample_factor` rows and none is lost.
import type { AudioToolkit } from '../../core/audio/toolkit.ts';
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import { float32Tensor, floatsOf, int64Tensor } from '../../core/onnx/tensors.ts';
import { kaldiFrameCount, stackedAttentionMask, W2V_BERT, W2V_BERT_FBANK } from '../w2v-bert/front-end.ts';
import { DUALCODEC, type DualcodecVariant } from './variants.ts';

/** Samples a Kaldi window needs beyond its shift: 400 − 160 at 16 kHz. */
const KALDI_TAIL = ((W2V_BERT_FBANK.frameLengthMs - W2V_BERT_FBANK.frameShiftMs) * W2V_BERT_FBANK.sampleRate) / 1000;

/** avg_pool1d(kernel = stride = factor) over the rows of a row-major [rows, dim] matrix. */
export function averageFrames(data: Float32Array, rows: number, dim: number, factor: number): Float32Array {
  const out = new Float32Array(Math.floor(rows / factor) * dim);
  for (let row = 0; row < out.length / dim; row++) {
    for (let k = 0; k < factor; k++) {
      const from = (row * factor + k) * dim;
      for (let d = 0; d < dim; d++) out[row * dim + d]! += data[from + d]!;
    }
    for (let d = 0; d < dim; d++) out[row * dim + d]! /= factor;
  }
  return out;
}

/** The 16 kHz signal w2v-BERT sees for a clip padded to `frames` codec frames: Kaldi-exact length. */
export function frontEndSignal(audio16k: Float32Array): Float32Array {
  const signal = new Float32Array(audio16k.length + KALDI_TAIL);
  signal.set(audio16k);
  return signal;
}

/**
 * Semantic features [frames, 1024], one row per codec frame, of a 24 kHz clip already
 * padded to whole hops.
 */
export async function semanticFeatures(
  w2vBert: GraphHandle,
  padded24k: Float32Array,
  frames: number,
  variant: DualcodecVariant,
  run: { readonly audio: AudioToolkit; readonly signal: AbortSignal },
): Promise<Float32Array> {
  // torchaudio.functional.resample(audio, 24000, 16000), as the reference does (the hub's
  // resampler matches it within 1e-4): frames·hop·2/3 samples, 320 per 50 Hz frame.
  const audio16k = await run.audio.resample(padded24k, DUALCODEC.sampleRate, DUALCODEC.semanticSampleRate);
  const signal = frontEndSignal(audio16k);
  // feature_extractor(audio_16k, sampling_rate=16000): input_features [1, S, 160], attention_mask [1, S]
  const features = await run.audio.stackedFbank(signal, W2V_BERT_FBANK);
  const stacked = features.dims[0];
  if (stacked !== frames * variant.semanticDownsample) {
    throw new Error(`dualcodec: the front end made ${stacked} w2v-BERT frames for ${frames} codec frames; expected ${frames * variant.semanticDownsample}`);
  }
  const mask = stackedAttentionMask(kaldiFrameCount(signal.length));
  // semantic_model(...).hidden_states[17]: [1, S, 1024]
  const out = await w2vBert.run(
    { input_features: float32Tensor(features.data, [1, stacked, W2V_BERT.featureDim]), attention_mask: int64Tensor(mask, [1, stacked]) },
    { signal: run.signal },
  );
  // avg_pool1d(feat.transpose(1, 2), factor, factor), kept frame-major: [frames, 1024]
  return averageFrames(floatsOf(out.hidden_states, 'w2v_bert.hidden_states'), stacked, DUALCODEC.w2vBertDim, variant.semanticDownsample);
}
