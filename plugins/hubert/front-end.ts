// What every HuBERT (and wav2vec 2.0) graph shares as seen from TypeScript, whichever checkpoint
// is behind it (HuBERT-Large for Vevo, mHuBERT-Base for Noro): the conv feature encoder —
// kernels 10,3,3,3,3,2,2, strides 5,2,2,2,2,2,2, no padding — reads a 400-sample window every
// 320 samples, so S samples give ⌊(S − 80)/320⌋ frames and the samples after the last window
// are never read; and the utterance layer-norm that some checkpoints (HuBERT-Large, not Base)
// apply to the waveform first.

/** Samples each frame's receptive window spans, and the hop between frames. */
export const HUBERT_WINDOW = 400;
export const HUBERT_HOP = 320;

/** Frames the conv encoder makes from `samples` samples: ⌊(S − 400)/320⌋ + 1, at least 0. */
export function hubertFrames(samples: number): number {
  return Math.max(0, Math.floor((samples - (HUBERT_WINDOW - HUBERT_HOP)) / HUBERT_HOP));
}

/** The samples the conv encoder reads: 320·frames + 80 (the tail after the last window cut). */
export function cutToWindows(samples: Float32Array): Float32Array {
  return samples.subarray(0, hubertFrames(samples.length) * HUBERT_HOP + (HUBERT_WINDOW - HUBERT_HOP));
}

/** layer_norm(wav, wav.shape): zero mean, unit biased variance, eps 1e-5. */
export function layerNormWaveform(samples: Float32Array, eps = 1e-5): Float32Array {
  let mean = 0;
  for (const x of samples) mean += x;
  mean /= Math.max(1, samples.length);
  let variance = 0;
  for (const x of samples) variance += (x - mean) ** 2;
  variance /= Math.max(1, samples.length);
  const scale = 1 / Math.sqrt(variance + eps);
  return samples.map((x) => (x - mean) * scale);
}
