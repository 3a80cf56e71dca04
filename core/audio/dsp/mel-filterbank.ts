// Triangular mel filterbanks in the two conventions models are trained with:
// Slaney scale + Slaney area norm (librosa.filters.mel default) and HTK scale without norm
// (torchaudio.functional.melscale_fbanks default). Kept sparse: each filter is a run of bins.
import type { MelFilterOptions } from '../feature-types.ts';

export interface MelFilterbank {
  readonly nMels: number;
  readonly bins: number;
  /** First bin and weights of each filter. */
  readonly filters: readonly { readonly start: number; readonly weights: Float64Array }[];
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number, scale: 'slaney' | 'htk'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
}

export function melToHz(mel: number, scale: 'slaney' | 'htk'): number {
  if (scale === 'htk') return 700 * (Math.pow(10, mel / 2595) - 1);
  return mel < MIN_LOG_MEL ? mel * F_SP : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
}

export function checkMelOptions(options: MelFilterOptions): void {
  const { sampleRate, nMels, fMin = 0, fMax = sampleRate / 2 } = options;
  if (!(sampleRate > 0)) throw new RangeError(`sampleRate must be positive, got ${sampleRate}`);
  if (!Number.isInteger(nMels) || nMels < 1 || nMels > 1024) throw new RangeError(`nMels must be an integer in 1..1024, got ${nMels}`);
  if (!(fMin >= 0 && fMax > fMin && fMax <= sampleRate / 2 + 1e-9)) throw new RangeError(`need 0 ≤ fMin < fMax ≤ sampleRate/2, got fMin ${fMin}, fMax ${fMax}`);
}

function sparse(dense: Float64Array[], bins: number): MelFilterbank {
  const filters = dense.map((row) => {
    let start = row.findIndex((w) => w > 0);
    if (start < 0) return { start: 0, weights: new Float64Array(0) };
    let end = bins;
    while (end > start && row[end - 1] === 0) end--;
    return { start, weights: row.slice(start, end) };
  });
  return { nMels: dense.length, bins, filters };
}

const cache = new Map<string, MelFilterbank>();

/** [nMels] filters over nFft/2+1 bins. */
export function melFilterbank(options: MelFilterOptions): MelFilterbank {
  checkMelOptions(options);
  const { sampleRate, nFft, nMels, fMin = 0, fMax = sampleRate / 2, melScale = 'slaney', melNorm = 'slaney' } = options;
  const key = JSON.stringify([sampleRate, nFft, nMels, fMin, fMax, melScale, melNorm]);
  const hit = cache.get(key);
  if (hit) return hit;
  const bins = Math.floor(nFft / 2) + 1;
  const lowMel = hzToMel(fMin, melScale), highMel = hzToMel(fMax, melScale);
  const points = Array.from({ length: nMels + 2 }, (_, i) => melToHz(lowMel + ((highMel - lowMel) * i) / (nMels + 1), melScale));
  const dense: Float64Array[] = [];
  for (let m = 0; m < nMels; m++) {
    const left = points[m]!, centre = points[m + 1]!, right = points[m + 2]!;
    const norm = melNorm === 'slaney' ? 2 / (right - left) : 1;
    const row = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      const hz = (k * sampleRate) / 2 / (bins - 1);
      const up = (hz - left) / (centre - left), down = (right - hz) / (right - centre);
      row[k] = Math.max(0, Math.min(up, down)) * norm;
    }
    dense.push(row);
  }
  const bank = sparse(dense, bins);
  cache.set(key, bank);
  return bank;
}

/** Kaldi's mel banks (mel = 1127·ln(1 + f/700), triangles in mel space, Nyquist bin unused). */
export function kaldiMelFilterbank(options: { sampleRate: number; paddedWindow: number; numBins: number; lowFreq: number; highFreq: number }): MelFilterbank {
  const { sampleRate, paddedWindow, numBins, lowFreq } = options;
  const nyquist = sampleRate / 2;
  const highFreq = options.highFreq <= 0 ? options.highFreq + nyquist : options.highFreq;
  if (!(lowFreq >= 0 && highFreq > lowFreq && highFreq <= nyquist)) throw new RangeError(`need 0 ≤ lowFreq < highFreq ≤ Nyquist, got ${lowFreq}..${highFreq}`);
  const key = JSON.stringify(['kaldi', sampleRate, paddedWindow, numBins, lowFreq, highFreq]);
  const hit = cache.get(key);
  if (hit) return hit;
  const mel = (hz: number) => 1127 * Math.log(1 + hz / 700);
  const fftBins = paddedWindow / 2;
  const binWidth = sampleRate / paddedWindow;
  const lowMel = mel(lowFreq), delta = (mel(highFreq) - lowMel) / (numBins + 1);
  const dense: Float64Array[] = [];
  for (let b = 0; b < numBins; b++) {
    const left = lowMel + b * delta, centre = left + delta, right = centre + delta;
    const row = new Float64Array(fftBins + 1);
    for (let k = 0; k < fftBins; k++) {
      const m = mel(binWidth * k);
      row[k] = Math.max(0, Math.min((m - left) / (centre - left), (right - m) / (right - centre)));
    }
    dense.push(row);
  }
  const bank = sparse(dense, fftBins + 1);
  cache.set(key, bank);
  return bank;
}

export function applyFilterbank(bank: MelFilterbank, spectrum: Float64Array, out: Float64Array): void {
  for (let m = 0; m < bank.nMels; m++) {
    const { start, weights } = bank.filters[m]!;
    let sum = 0;
    for (let i = 0; i < weights.length; i++) sum += weights[i]! * spectrum[start + i]!;
    out[m] = sum;
  }
}

/** Dense [nMels][bins] copy, for callers that need the matrix itself. */
export function denseFilterbank(bank: MelFilterbank): Float32Array {
  const out = new Float32Array(bank.nMels * bank.bins);
  bank.filters.forEach(({ start, weights }, m) => out.set(weights, m * bank.bins + start));
  return out;
}
