// Fast Griffin-Lim (Perraudin, Balazs & Søndergaard 2013): phase retrieval from a
// magnitude spectrogram with the momentum step torchaudio.transforms.GriffinLim uses,
// plus mel → linear magnitude by non-negative least squares, so a mel can be heard
// without a neural vocoder.
import type { FeatureMatrix, MelOptions, StftOptions } from '../feature-types.ts';
import { denormalize, expandLog } from './compression.ts';
import { overlapAdd } from './istft.ts';
import { melFilterbank } from './mel-filterbank.ts';
import { forEachSpectrum } from './stft.ts';

export interface GriffinLimOptions extends StftOptions {
  /** Default 32. */
  readonly iterations?: number;
  /** 0 is classic Griffin-Lim; 0.99 is torchaudio's default. */
  readonly momentum?: number;
  /** The magnitudes are |X|^power. Default 1. */
  readonly power?: 1 | 2;
  /** Output length in samples (default: what the frames give). */
  readonly length?: number;
  /** Seed of the random initial phases (deterministic output). Default 0. */
  readonly seed?: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** magnitude: [bins][frames] with bins = nFft/2+1. Works frame-major inside (contiguous frames). */
export function griffinLim(magnitude: FeatureMatrix, options: GriffinLimOptions): Float32Array {
  const { iterations = 32, momentum = 0.99, power = 1, seed = 0 } = options;
  if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`momentum must be in [0, 1), got ${momentum}`);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1000) throw new RangeError(`iterations must be 1..1000, got ${iterations}`);
  const [bins, frames] = magnitude.dims;
  const size = bins * frames;
  const mag = new Float64Array(size);
  for (let k = 0; k < bins; k++) {
    for (let t = 0; t < frames; t++) {
      const v = magnitude.data[k * frames + t]!;
      mag[t * bins + k] = power === 2 ? Math.sqrt(Math.max(0, v)) : v;
    }
  }
  const random = mulberry32(seed);
  const angRe = new Float64Array(size), angIm = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const phase = 2 * Math.PI * random();
    angRe[i] = Math.cos(phase);
    angIm[i] = Math.sin(phase);
  }
  const prevRe = new Float64Array(size), prevIm = new Float64Array(size);
  const alpha = momentum / (1 + momentum);
  const synthesize = () =>
    overlapAdd(bins, frames, options, (t, re, im) => {
      const base = t * bins;
      for (let k = 0; k < bins; k++) {
        re[k] = mag[base + k]! * angRe[base + k]!;
        im[k] = mag[base + k]! * angIm[base + k]!;
      }
    });
  const analysis = { ...options, dropLastFrame: false };
  for (let it = 0; it < iterations; it++) {
    // A `length` that cuts the last frame short re-frames to fewer frames; missing ones count as zero.
    const seen = new Uint8Array(frames);
    const update = (t: number, re: ArrayLike<number>, im: ArrayLike<number>) => {
      const base = t * bins;
      for (let k = 0; k < bins; k++) {
        const i = base + k;
        const r = re[k]!, m = im[k]!;
        // torchaudio: angles = rebuilt − momentum/(1 + momentum) · previous rebuilt
        let ar = r - alpha * prevRe[i]!, ai = m - alpha * prevIm[i]!;
        prevRe[i] = r;
        prevIm[i] = m;
        const norm = Math.sqrt(ar * ar + ai * ai);
        if (norm > 1e-16) (ar /= norm), (ai /= norm);
        else (ar = 1), (ai = 0);
        angRe[i] = ar;
        angIm[i] = ai;
      }
    };
    forEachSpectrum(synthesize(), analysis, (t, re, im) => {
      if (t < frames) (seen[t] = 1), update(t, re, im);
    });
    const zeros = new Float64Array(bins);
    for (let t = 0; t < frames; t++) if (!seen[t]) update(t, zeros, zeros);
  }
  return synthesize();
}

/**
 * Mel [nMels][frames] (as `melSpectrogram` made it, log/normalisation included) → linear
 * magnitude [bins][frames]: undo normalisation and log, then solve mel = M·S, S ≥ 0, by
 * multiplicative NNLS updates (Lee & Seung), started from Mᵀ·mel.
 */
export function melToLinear(mel: FeatureMatrix, options: MelOptions, iterations = 60): FeatureMatrix {
  const bank = melFilterbank(options);
  const [nMels, frames] = mel.dims;
  if (nMels !== bank.nMels) throw new RangeError(`mel has ${nMels} bins; the options describe ${bank.nMels}`);
  const data = mel.data.slice();
  if (options.normalize) denormalize(data, mel.dims, 0, options.normalize);
  if (options.log) expandLog(data, options.log);
  const bins = bank.bins;
  const out = new Float32Array(bins * frames);
  const target = new Float64Array(nMels), s = new Float64Array(bins), approx = new Float64Array(nMels), numer = new Float64Array(bins), denom = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < nMels; m++) target[m] = Math.max(0, data[m * frames + t]!);
    s.fill(0);
    bank.filters.forEach(({ start, weights }, m) => weights.forEach((w, i) => (s[start + i]! += w * target[m]!)));
    for (let it = 0; it < iterations; it++) {
      bank.filters.forEach(({ start, weights }, m) => {
        let sum = 0;
        for (let i = 0; i < weights.length; i++) sum += weights[i]! * s[start + i]!;
        approx[m] = sum;
      });
      numer.fill(0);
      denom.fill(0);
      bank.filters.forEach(({ start, weights }, m) => {
        for (let i = 0; i < weights.length; i++) {
          numer[start + i]! += weights[i]! * target[m]!;
          denom[start + i]! += weights[i]! * approx[m]!;
        }
      });
      for (let k = 0; k < bins; k++) s[k] = denom[k]! > 1e-20 ? (s[k]! * numer[k]!) / denom[k]! : 0;
    }
    for (let k = 0; k < bins; k++) out[k * frames + t] = s[k]!;
  }
  return { data: out, dims: [bins, frames] };
}
