// The speaker embedding the hub matches a reference against the trained singers: the shape of
// the long-term average spectrum. Mean ln-mel (24 kHz, 100 bins, the models' own mel) over the
// clip's loud frames (within 40 dB of its loudest), minus its mean over bins (so level does not
// count), scaled to unit length; similarity is the dot product (cosine). Weight-free, so any hub
// can enrol a singer from a few clips (enrol.ts) and match a reference the same way. It hears
// timbre and vocal-tract colour (dark/bright, breathy/pressed), not identity: EXPORT.md says more.
import { SVC } from '../settings.ts';

export const EMBEDDING_DIM = SVC.nMels;
/** ln of 40 dB in power: frames more than this below the loudest are left out. */
const LOUD_RANGE = Math.log(10 ** (40 / 10)) / 2;

export function spectralEmbedding(mel: Float32Array, nMels: number, frames: number): Float32Array | undefined {
  const level = new Float32Array(frames);
  let loudest = -Infinity;
  for (let t = 0; t < frames; t++) {
    let sum = 0;
    for (let b = 0; b < nMels; b++) sum += mel[b * frames + t]!;
    level[t] = sum / nMels;
    loudest = Math.max(loudest, level[t]!);
  }
  const mean = new Float32Array(nMels);
  let used = 0;
  for (let t = 0; t < frames; t++) {
    if (level[t]! < loudest - LOUD_RANGE) continue;
    used++;
    for (let b = 0; b < nMels; b++) mean[b]! += mel[b * frames + t]!;
  }
  if (used === 0) return undefined;
  let centre = 0;
  for (let b = 0; b < nMels; b++) centre += (mean[b]! /= used);
  centre /= nMels;
  let norm = 0;
  for (let b = 0; b < nMels; b++) norm += (mean[b]! -= centre) ** 2;
  if (!(norm > 1e-12)) return undefined;
  return mean.map((v) => v / Math.sqrt(norm));
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}
