// The chromagram in librosa's feature.chroma_stft semantics: power spectrogram (periodic
// Hann, centred frames), the tuning estimated from that spectrogram unless given
// (tuning.ts), the chroma filter bank at that tuning (chroma-filterbank.ts), and each frame
// divided by its largest bin (∞-norm; all-zero frames stay zero).
import type { ChromaOptions, FeatureMatrix } from '../feature-types.ts';
import { chromaFilterbank } from './chroma-filterbank.ts';
import { forEachSpectrum } from './stft.ts';
import { estimateTuning } from './tuning.ts';

/** librosa's util.tiny for float32: frames whose largest bin is below it are left as zeros. */
const TINY = 1.1754943508222875e-38;

export function checkChromaOptions(options: ChromaOptions): void {
  if (!Number.isInteger(options.nChroma) || options.nChroma < 1 || options.nChroma > 120) throw new RangeError(`nChroma must be an integer in 1..120, got ${options.nChroma}`);
  if (options.tuning !== undefined && !(Math.abs(options.tuning) <= 0.5)) throw new RangeError(`tuning must be within ±0.5 bins, got ${options.tuning}`);
}

/** [nChroma][frames]; `tuning` is the value used (estimated unless given). */
export function chromagram(signal: ArrayLike<number>, sampleRate: number, options: ChromaOptions): FeatureMatrix & { tuning: number } {
  checkChromaOptions(options);
  const { nFft, hop, winLength = nFft, nChroma, padMode = 'constant' } = options;
  const bins = Math.floor(nFft / 2) + 1;
  // Frame-major ([frames][bins]) so both the tuning search and the filter product read rows.
  const frameChunks: Float64Array[] = [];
  const frames = forEachSpectrum(signal, { nFft, hop, winLength, window: 'hann', periodic: true, center: true, padMode }, (_t, re, im) => {
    const p = new Float64Array(bins);
    for (let k = 0; k < bins; k++) p[k] = re[k]! * re[k]! + im[k]! * im[k]!;
    frameChunks.push(p);
  });
  const power = new Float64Array(frames * bins);
  frameChunks.forEach((p, t) => power.set(p, t * bins));
  const tuning = options.tuning ?? estimateTuning(power, bins, frames, sampleRate, nChroma);
  const bank = sparseColumns(chromaFilterbank(sampleRate, nFft, nChroma, tuning), nChroma, bins);
  const out = new Float32Array(nChroma * frames);
  const column = new Float64Array(nChroma);
  for (let t = 0; t < frames; t++) {
    column.fill(0);
    const at = t * bins;
    for (let k = 0; k < bins; k++) {
      const p = power[at + k]!;
      if (p === 0) continue;
      for (let j = bank.start[k]!; j < bank.start[k + 1]!; j++) column[bank.chroma[j]!]! += bank.weight[j]! * p;
    }
    let peak = 0;
    for (let c = 0; c < nChroma; c++) peak = Math.max(peak, Math.abs(column[c]!));
    const scale = peak < TINY ? 1 : 1 / peak;
    for (let c = 0; c < nChroma; c++) out[c * frames + t] = column[c]! * scale;
  }
  return { data: out, dims: [nChroma, frames], tuning };
}

/**
 * The bank by frequency bin, keeping weights above 1e-10 of their column's largest: the
 * Gaussian in chroma distance leaves most of each column below that (exp(−2d²) at one bin
 * per chroma step), and what is dropped moves a frame's ∞-normalised values by under
 * nChroma · 1e-10 relative, since the frame's largest chroma value is at least
 * 1/nChroma of the column maxima it draws on.
 */
function sparseColumns(bank: Float64Array, nChroma: number, bins: number): { start: Int32Array; chroma: Int32Array; weight: Float64Array } {
  const start = new Int32Array(bins + 1), chroma: number[] = [], weight: number[] = [];
  for (let k = 0; k < bins; k++) {
    let max = 0;
    for (let c = 0; c < nChroma; c++) max = Math.max(max, bank[c * bins + k]!);
    for (let c = 0; c < nChroma; c++) {
      const w = bank[c * bins + k]!;
      if (w > 1e-10 * max) (chroma.push(c), weight.push(w));
    }
    start[k + 1] = chroma.length;
  }
  return { start, chroma: Int32Array.from(chroma), weight: Float64Array.from(weight) };
}
