// What surrounds the content graph (HubertExtractor.extract_content_features):
//   before: F.pad(wav, (40, 40), "reflect") — with HuBERT's conv front end (a 400-sample window
//           every 320: plugins/hubert/front-end.ts) a source of S samples then gives S/320 frames;
//   after:  F.interpolate(embed, scale_factor=1.6, mode="nearest") — 50 Hz → 80 Hz, the mel
//           rate. Nearest upsampling copies frames, so the graph may snap each 50 Hz frame to
//           its k-means centre first: argmin per frame commutes with copying frames.
import { NORO } from '../settings.ts';

/** F.pad(x, (n, n), "reflect"): mirror without repeating the edge sample. */
export function reflectPad(samples: Float32Array, n: number): Float32Array {
  if (samples.length <= n) throw new RangeError(`reflect padding of ${n} needs more than ${n} samples, got ${samples.length}`);
  const out = new Float32Array(samples.length + 2 * n);
  out.set(samples, n);
  for (let i = 0; i < n; i++) {
    out[n - 1 - i] = samples[i + 1]!;
    out[n + samples.length + i] = samples[samples.length - 2 - i]!;
  }
  return out;
}

/** The graph's input for a padded source: reflect-padded by 40 samples each side. */
export function contentInput(paddedSource: Float32Array): Float32Array {
  return reflectPad(paddedSource, NORO.hubertPad);
}

/**
 * torch nearest interpolation by a scale factor num/den (output ⌊frames·num/den⌋, source index
 * ⌊i·den/num⌋), on [frames × dim] frame-major features.
 */
export function upsampleNearest(features: Float32Array, frames: number, dim: number, scale: { num: number; den: number } = NORO.contentUpsample): { data: Float32Array; frames: number } {
  const outFrames = Math.floor((frames * scale.num) / scale.den);
  const data = new Float32Array(outFrames * dim);
  for (let i = 0; i < outFrames; i++) {
    const from = Math.min(frames - 1, Math.floor((i * scale.den) / scale.num));
    data.set(features.subarray(from * dim, (from + 1) * dim), i * dim);
  }
  return { data, frames: outFrames };
}
