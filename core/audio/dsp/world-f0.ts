// F0 as WORLD estimates it (Morise 2009/2016, the vocoder's reference implementation and the
// pyworld wrapper many speech models were trained with): DIO — for each of several bands,
// low-pass by a Nuttall window, then the intervals between four kinds of events (negative
// and positive zero crossings, peaks, dips) give four F0 tracks whose agreement scores the
// band; the best band per frame, then four clean-up passes — refined by StoneMask, the
// instantaneous frequency of the first harmonics under a Blackman window of three periods.
// Written from WORLD's published algorithm and checked against its C++ build by
// scripts/reference/world-f0-fixtures.py; the comments name each step's arithmetic.
import { realFft } from './real-fft.ts';

export interface DioOptions {
  readonly f0Floor: number;
  readonly f0Ceil: number;
  /** Milliseconds between frames; frame i is at i·period. */
  readonly framePeriod: number;
  /** Bands per octave. Default 2. */
  readonly channelsInOctave?: number;
  /** Largest relative jump the clean-up accepts between frames. Default 0.1. */
  readonly allowedRange?: number;
}

const CUTOFF_HZ = 50; // DC/low-cut filter of the analysed spectrum
const SAFE_GUARD = 1e-12;
const MAX_SCORE = 100000;
const STONEMASK_FLOOR = 40;

/** round half away from zero (MATLAB's round). */
const round = (x: number) => (x > 0 ? Math.trunc(x + 0.5) : Math.trunc(x - 0.5));
/** The power of two strictly above log2(n)'s integer part (WORLD's suitable FFT size). */
const suitableFftSize = (n: number) => 2 ** (Math.floor(Math.log2(n)) + 1);

export function dioFrameCount(samples: number, sampleRate: number, framePeriod: number): number {
  return Math.trunc((1000 * samples) / sampleRate / framePeriod) + 1;
}

/** DIO (speed 1: no decimation) followed by StoneMask; 0 where unvoiced. */
export function worldF0(signal: ArrayLike<number>, sampleRate: number, options: DioOptions): Float64Array {
  const f0 = dio(signal, sampleRate, options);
  const refined = new Float64Array(f0.length);
  for (let i = 0; i < f0.length; i++) refined[i] = stoneMaskAt(signal, sampleRate, (i * options.framePeriod) / 1000, f0[i]!);
  return refined;
}

export function dio(signal: ArrayLike<number>, fs: number, options: DioOptions): Float64Array {
  const { f0Floor, f0Ceil, framePeriod } = options;
  const perOctave = options.channelsInOctave ?? 2;
  const allowedRange = options.allowedRange ?? 0.1;
  const bands = 1 + Math.trunc(Math.log2(f0Ceil / f0Floor) * perOctave);
  const boundaries = Array.from({ length: bands }, (_, i) => f0Floor * 2 ** ((i + 1) / perOctave));
  const n = signal.length;
  const yLength = 1 + n;
  const fftSize = suitableFftSize(yLength + round(fs / CUTOFF_HZ) * 2 + 1 + 4 * Math.trunc(1 + fs / boundaries[0]! / 2));
  const spectrum = analysedSpectrum(signal, yLength, fs, fftSize);
  const frames = dioFrameCount(n, fs, framePeriod);
  const times = Float64Array.from({ length: frames }, (_, i) => (i * framePeriod) / 1000);

  const candidates: Float64Array[] = [];
  const scores: Float64Array[] = [];
  for (const boundary of boundaries) {
    const { candidate, score } = bandCandidates(spectrum, fftSize, yLength, fs, boundary, f0Floor, f0Ceil, times);
    // the score relative to the candidate: a spread of a few Hz matters less at higher F0
    scores.push(score.map((s, j) => s / (candidate[j]! + SAFE_GUARD)));
    candidates.push(candidate);
  }
  const best = new Float64Array(frames);
  for (let i = 0; i < frames; i++) {
    let lowest = scores[0]![i]!;
    best[i] = candidates[0]![i]!;
    for (let b = 1; b < bands; b++) {
      if (lowest > scores[b]![i]!) {
        lowest = scores[b]![i]!;
        best[i] = candidates[b]![i]!;
      }
    }
  }
  return fixContour(best, candidates, framePeriod, f0Floor, allowedRange);
}

/** The signal minus its mean, zero-padded, FFT'd, times the spectrum of a 50 Hz low-cut FIR. */
function analysedSpectrum(signal: ArrayLike<number>, yLength: number, fs: number, fftSize: number): { re: Float64Array; im: Float64Array } {
  const fft = realFft(fftSize);
  const y = new Float64Array(fftSize);
  for (let i = 0; i < signal.length; i++) y[i] = signal[i]!;
  let mean = 0;
  for (let i = 0; i < yLength; i++) mean += y[i]!;
  mean /= yLength;
  for (let i = 0; i < yLength; i++) y[i]! -= mean;
  const re = new Float64Array(fft.bins);
  const im = new Float64Array(fft.bins);
  fft.forward(y, re, im);
  // low-cut: 1 − (normalised raised-cosine of N = 2·round(fs/50) + 1 taps), centred on sample 0
  const taps = round(fs / CUTOFF_HZ) * 2 + 1;
  const half = (taps - 1) / 2;
  const filter = new Float64Array(fftSize);
  const window = Float64Array.from({ length: taps }, (_, i) => 0.5 - 0.5 * Math.cos(((i + 1) * 2 * Math.PI) / (taps + 1)));
  const total = window.reduce((s, v) => s + v, 0);
  for (let i = 0; i < taps; i++) window[i] = -window[i]! / total;
  for (let i = 0; i < half; i++) filter[fftSize - half + i] = window[i]!;
  for (let i = 0; i < taps - half; i++) filter[i] = window[i + half]!;
  filter[0]! += 1;
  const fRe = new Float64Array(fft.bins);
  const fIm = new Float64Array(fft.bins);
  fft.forward(filter, fRe, fIm);
  for (let k = 0; k < fft.bins; k++) {
    const r = re[k]! * fRe[k]! - im[k]! * fIm[k]!;
    im[k] = re[k]! * fIm[k]! + im[k]! * fRe[k]!;
    re[k] = r;
  }
  return { re, im };
}

/** One band: low-pass, the four event interval tracks, their mean (candidate) and spread (score). */
function bandCandidates(
  spectrum: { re: Float64Array; im: Float64Array },
  fftSize: number,
  yLength: number,
  fs: number,
  boundary: number,
  f0Floor: number,
  f0Ceil: number,
  times: Float64Array,
): { candidate: Float64Array; score: Float64Array } {
  const filtered = lowPassed(spectrum, fftSize, yLength, round(fs / boundary / 2));
  const tracks: { locations: Float64Array; intervals: Float64Array }[] = [];
  tracks.push(negativeCrossings(filtered, yLength, fs));
  for (let i = 0; i < yLength; i++) filtered[i] = -filtered[i]!;
  tracks.push(negativeCrossings(filtered, yLength, fs));
  for (let i = 0; i < yLength - 1; i++) filtered[i] = filtered[i]! - filtered[i + 1]!;
  tracks.push(negativeCrossings(filtered, yLength - 1, fs));
  for (let i = 0; i < yLength - 1; i++) filtered[i] = -filtered[i]!;
  tracks.push(negativeCrossings(filtered, yLength - 1, fs));

  const frames = times.length;
  const candidate = new Float64Array(frames);
  const score = new Float64Array(frames).fill(MAX_SCORE);
  // every event kind needs at least three intervals
  if (tracks.some((t) => t.intervals.length < 3)) return { candidate, score };
  const sets = tracks.map((t) => interp1(t.locations, t.intervals, times));
  for (let i = 0; i < frames; i++) {
    const values = sets.map((s) => s[i]!);
    const mean = (values[0]! + values[1]! + values[2]! + values[3]!) / 4;
    const spread = Math.sqrt(values.reduce((s, v) => s + (v - mean) * (v - mean), 0) / 3);
    if (mean > boundary || mean < boundary / 2 || mean > f0Ceil || mean < f0Floor) continue;
    candidate[i] = mean;
    score[i] = spread;
  }
  return { candidate, score };
}

/** Convolution with a Nuttall window of 4·half samples (by FFT), delay compensated. */
function lowPassed(spectrum: { re: Float64Array; im: Float64Array }, fftSize: number, yLength: number, half: number): Float64Array {
  const fft = realFft(fftSize);
  const length = half * 4;
  const window = new Float64Array(fftSize);
  for (let i = 0; i < length; i++) {
    const t = i / (length - 1);
    window[i] = 0.355768 - 0.487396 * Math.cos(2 * Math.PI * t) + 0.144232 * Math.cos(4 * Math.PI * t) - 0.012604 * Math.cos(6 * Math.PI * t);
  }
  const re = new Float64Array(fft.bins);
  const im = new Float64Array(fft.bins);
  fft.forward(window, re, im);
  // The product, bin by bin, in place, with WORLD's mirror write to bin N − i − 1: the last two
  // bins below and at Nyquist end up as the reference computes them (a negligible difference,
  // kept so the events match exactly).
  const nyquist = fftSize / 2;
  let r = spectrum.re[0]! * re[0]! - spectrum.im[0]! * im[0]!;
  im[0] = spectrum.re[0]! * im[0]! + spectrum.im[0]! * re[0]!;
  re[0] = r;
  for (let i = 1; i <= nyquist; i++) {
    r = spectrum.re[i]! * re[i]! - spectrum.im[i]! * im[i]!;
    im[i] = spectrum.re[i]! * im[i]! + spectrum.im[i]! * re[i]!;
    re[i] = r;
    const mirror = fftSize - i - 1;
    if (mirror <= nyquist) {
      re[mirror] = re[i]!;
      im[mirror] = im[i]!;
    }
  }
  const out = new Float64Array(fftSize);
  fft.inverse(re, im, out);
  const bias = half * 2;
  return out.slice(bias, bias + yLength);
}

/** Positive-to-negative zero crossings (linearly interpolated) → interval rates fs/Δ at their midpoints (s). */
function negativeCrossings(x: Float64Array, length: number, fs: number): { locations: Float64Array; intervals: Float64Array } {
  const edges: number[] = [];
  for (let i = 0; i < length - 1; i++) {
    if (0 < x[i]! && x[i + 1]! <= 0) edges.push(i + 1 - x[i]! / (x[i + 1]! - x[i]!));
  }
  if (edges.length < 2) return { locations: new Float64Array(0), intervals: new Float64Array(0) };
  const count = edges.length - 1;
  const locations = new Float64Array(count);
  const intervals = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    intervals[i] = fs / (edges[i + 1]! - edges[i]!);
    locations[i] = (edges[i]! + edges[i + 1]!) / 2 / fs;
  }
  return { locations, intervals };
}

/** Linear interpolation that extrapolates from the first and last segments (WORLD's interp1 + histc). */
export function interp1(x: ArrayLike<number>, y: ArrayLike<number>, at: ArrayLike<number>): Float64Array {
  const out = new Float64Array(at.length);
  const last = x.length - 1;
  for (let i = 0; i < at.length; i++) {
    // k = #{x_j ≤ at_i} clamped to [1, last]: the segment [x_{k−1}, x_k]
    let lo = 0;
    let hi = x.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x[mid]! <= at[i]!) lo = mid + 1;
      else hi = mid;
    }
    const k = Math.min(Math.max(lo, 1), last);
    const s = (at[i]! - x[k - 1]!) / (x[k]! - x[k - 1]!);
    out[i] = y[k - 1]! + s * (y[k]! - y[k - 1]!);
  }
  return out;
}

/** The four clean-up steps: jumps, short voiced runs at the edges, then extension both ways along the candidates. */
function fixContour(best: Float64Array, candidates: readonly Float64Array[], framePeriod: number, f0Floor: number, allowedRange: number): Float64Array {
  const frames = best.length;
  const minimum = Math.trunc(0.5 + 1000 / framePeriod / f0Floor) * 2 + 1;
  // too short a clip to judge: WORLD leaves its (zeroed) output as it is
  if (frames <= minimum) return new Float64Array(frames);
  // 1. no F0 within `minimum` frames of either end; a relative jump ≥ allowedRange from the frame before is unvoiced
  const base = new Float64Array(frames);
  for (let i = minimum; i < frames - minimum; i++) base[i] = best[i]!;
  const step1 = new Float64Array(frames);
  for (let i = minimum; i < frames; i++) step1[i] = Math.abs((base[i]! - base[i - 1]!) / (SAFE_GUARD + base[i]!)) < allowedRange ? base[i]! : 0;
  // 2. a frame is voiced only if every frame within (minimum − 1)/2 of it is
  const step2 = Float64Array.from(step1);
  const centre = (minimum - 1) / 2;
  for (let i = centre; i < frames - centre; i++) {
    for (let j = -centre; j <= centre; j++) {
      if (step1[i + j] === 0) {
        step2[i] = 0;
        break;
      }
    }
  }
  // voiced runs: where each ends (negative) and begins (positive)
  const ends: number[] = [];
  const starts: number[] = [];
  for (let i = 1; i < frames; i++) {
    if (step2[i] === 0 && step2[i - 1] !== 0) ends.push(i - 1);
    else if (step2[i - 1] === 0 && step2[i] !== 0) starts.push(i);
  }
  const select = (current: number, past: number, target: number) => {
    const reference = (current * 3 - past) / 2;
    let bestValue = candidates[0]![target]!;
    let error = Math.abs(reference - bestValue);
    for (let b = 1; b < candidates.length; b++) {
      const e = Math.abs(reference - candidates[b]![target]!);
      if (e < error) {
        error = e;
        bestValue = candidates[b]![target]!;
      }
    }
    return Math.abs(1 - bestValue / reference) > allowedRange ? 0 : bestValue;
  };
  // 3. extend each run forward from its end, predicting linearly from the two frames before
  const step3 = Float64Array.from(step2);
  for (let r = 0; r < ends.length; r++) {
    const limit = r === ends.length - 1 ? frames - 1 : ends[r + 1]!;
    for (let j = ends[r]!; j < limit; j++) {
      step3[j + 1] = select(step3[j]!, step3[j - 1]!, j + 1);
      if (step3[j + 1] === 0) break;
    }
  }
  // 4. extend each run backward from its start
  const step4 = Float64Array.from(step3);
  for (let r = starts.length - 1; r >= 0; r--) {
    const limit = r === 0 ? 1 : starts[r - 1]!;
    for (let j = starts[r]!; j > limit; j--) {
      step4[j - 1] = select(step4[j]!, step4[j + 1]!, j - 1);
      if (step4[j - 1] === 0) break;
    }
  }
  return step4;
}

/** StoneMask at one frame: instantaneous frequency of harmonics 1–2, then 1–6, under a Blackman window of 3 periods. */
function stoneMaskAt(x: ArrayLike<number>, fs: number, position: number, initial: number): number {
  if (initial <= STONEMASK_FLOOR || initial > fs / 12) return 0;
  const half = Math.trunc((1.5 * fs) / initial + 1);
  const length = half * 2 + 1;
  const windowSeconds = length / fs;
  const fftSize = 2 ** (2 + Math.floor(Math.log2(half * 2 + 1)));
  const fft = realFft(fftSize);
  const main = new Float64Array(length);
  const index = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const raw = round((position + (i - half) / fs) * fs);
    const t = (raw - 1) / fs - position;
    main[i] = 0.42 + 0.5 * Math.cos((2 * Math.PI * t) / windowSeconds) + 0.08 * Math.cos((4 * Math.PI * t) / windowSeconds);
    index[i] = Math.max(0, Math.min(x.length - 1, raw - 1));
  }
  const diff = new Float64Array(length);
  diff[0] = -main[1]! / 2;
  for (let i = 1; i < length - 1; i++) diff[i] = -(main[i + 1]! - main[i - 1]!) / 2;
  diff[length - 1] = main[length - 2]! / 2;
  const spectrumOf = (window: Float64Array) => {
    const frame = new Float64Array(fftSize);
    for (let i = 0; i < length; i++) frame[i] = x[index[i]!]! * window[i]!;
    const re = new Float64Array(fft.bins);
    const im = new Float64Array(fft.bins);
    fft.forward(frame, re, im);
    return { re, im };
  };
  const m = spectrumOf(main);
  const d = spectrumOf(diff);
  const power = new Float64Array(fft.bins);
  const numerator = new Float64Array(fft.bins);
  for (let k = 0; k < fft.bins; k++) {
    numerator[k] = m.re[k]! * d.im[k]! - m.im[k]! * d.re[k]!;
    power[k] = m.re[k]! * m.re[k]! + m.im[k]! * m.im[k]!;
  }
  const fixed = (f0: number, harmonics: number) => {
    let num = 0;
    let den = 0;
    for (let h = 1; h <= harmonics; h++) {
      const k = Math.min(round(((f0 * fftSize) / fs) * h), fftSize / 2);
      const frequency = power[k] === 0 ? 0 : (k * fs) / fftSize + ((numerator[k]! / power[k]!) * fs) / 2 / Math.PI;
      const amplitude = Math.sqrt(power[k]!);
      num += amplitude * frequency;
      den += amplitude * h;
    }
    return num / (den + SAFE_GUARD);
  };
  const tentative = fixed(initial, 2);
  const mean = tentative <= 0 || tentative > initial * 2 ? 0 : fixed(tentative, 6);
  // a correction over 20 % keeps DIO's value
  return Math.abs(mean - initial) > initial * 0.2 ? initial : mean;
}
