// Pitch (F0) by Boersma's (1993) autocorrelation method with the parameters of Praat's
// "To Pitch (ac)" (fon/Sound_to_Pitch.cpp, method AC_HANNING): per frame, a Hann-windowed
// 3-period stretch, its autocorrelation divided by the window's, peaks refined by sinc
// interpolation as candidates, then the best path through them (pitch-path.ts).
// Defaults are the 16 kHz, hop-256, 50–1100 Hz, voicing-threshold-0.6 convention of
// speech-evaluation code that calls parselmouth's to_pitch_ac; frames are placed as Praat
// places them (as many as fit, centred in the signal), not from sample 0.
import type { PitchOptions, PitchTrack } from '../feature-types.ts';
import { bestPitchPath, type PitchCandidates } from './pitch-path.ts';
import { realFft } from './real-fft.ts';
import { interpolateSinc, refineMaximum } from './sinc-interpolation.ts';

/** Praat's fixed settings of "To Pitch (ac)" besides floor/ceiling/step; 0.6 is the voicing threshold the evaluation code passes. */
const PRAAT = { periodsPerWindow: 3, maxCandidates: 15, silenceThreshold: 0.03, voicingThreshold: 0.6, octaveCost: 0.01, octaveJumpCost: 0.35, voicedUnvoicedCost: 0.14 };

export function checkPitchOptions(sampleRate: number, o: Required<PitchOptions>): void {
  if (!Number.isInteger(o.hop) || o.hop < 1) throw new RangeError(`hop must be a positive integer, got ${o.hop}`);
  if (!(o.fmin > 0 && o.fmax > o.fmin)) throw new RangeError(`need 0 < fmin < fmax, got ${o.fmin}–${o.fmax} Hz`);
  if (!(sampleRate >= 1000)) throw new RangeError(`sampleRate must be at least 1000 Hz, got ${sampleRate}`);
}

export function estimatePitch(signal: ArrayLike<number>, sampleRate: number, options: PitchOptions = {}): PitchTrack {
  const o = { hop: 256, fmin: 50, fmax: 1100, ...options };
  checkPitchOptions(sampleRate, o);
  const dx = 1 / sampleRate, dt = o.hop / sampleRate, n = signal.length;
  const ceiling = Math.min(o.fmax, 0.5 * sampleRate);
  const windowSeconds = PRAAT.periodsPerWindow / o.fmin;
  const frames = Math.max(0, Math.floor((n * dx - windowSeconds) / dt) + 1);
  const startSeconds = 0.5 * n * dx - 0.5 * frames * dt + 0.5 * dt;
  const empty = { f0: new Float32Array(frames), hopSeconds: dt, startSeconds };
  if (frames === 0) return empty;

  const x = Float64Array.from(signal);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let globalPeak = 0;
  for (let i = 0; i < n; i++) globalPeak = Math.max(globalPeak, Math.abs(x[i]! - mean));
  if (globalPeak === 0) return empty;

  // Sizes, named as in Sound_to_Pitch_any.
  const period = Math.floor(1 / dx / o.fmin);
  const halfPeriod = Math.floor(period / 2) + 1;
  const halfWindow = Math.floor(Math.floor(windowSeconds / dx) / 2) - 1;
  if (halfWindow < 2) throw new RangeError('analysis window too short: raise fmin or the sample rate');
  const windowLength = 2 * halfWindow;
  const maximumLag = Math.min(Math.floor(windowLength / PRAAT.periodsPerWindow) + 2, windowLength);
  const maxLag = Math.floor(windowLength * 0.5); // brent_ixmax: interpolation depth 0.5
  // Praat zero-pads to the next power of two ≥ 1.5 windows; any size ≥ window + maxLag gives
  // the same autocorrelation up to maxLag (no circular wrap reaches it), and 3·2^k sizes
  // are often smaller and cheaper.
  let fftSize = 1;
  while (fftSize < windowLength + maxLag) fftSize *= 2;
  if ((fftSize / 4) * 3 >= windowLength + maxLag) fftSize = (fftSize / 4) * 3;
  const maxCandidates = Math.max(PRAAT.maxCandidates, Math.floor(ceiling / o.fmin));

  const fft = realFft(fftSize);
  const window = new Float64Array(windowLength);
  for (let j = 0; j < windowLength; j++) window[j] = 0.5 - 0.5 * Math.cos(((j + 1) * 2 * Math.PI) / (windowLength + 1));
  const windowR = autocorrelation(window, fft);

  const frame = new Float64Array(fftSize); // zeros past windowLength stay zero: only the window's span is rewritten per frame
  const r = new Float64Array(2 * maxLag + 1); // lags −maxLag..maxLag, for interpolation across 0
  const candidates: PitchCandidates = { frequency: [], strength: [], intensity: new Float64Array(frames) };
  const ac = { re: new Float64Array(fft.bins), im: new Float64Array(fft.bins), out: new Float64Array(fftSize) };
  for (let f = 0; f < frames; f++) {
    const t = startSeconds + f * dt;
    const left = Math.floor(t / dx - 0.5), right = left + 1; // samples either side of t (sample i sits at (i + ½)·dx)
    let localMean = 0;
    for (let i = right - period; i <= left + period; i++) localMean += x[i]!;
    localMean /= 2 * period;
    const first = right - halfWindow;
    for (let j = 0; j < windowLength; j++) frame[j] = (x[first + j]! - localMean) * window[j]!;
    let localPeak = 0;
    for (let j = Math.max(0, halfWindow - halfPeriod); j < Math.min(windowLength, halfWindow + halfPeriod); j++) localPeak = Math.max(localPeak, Math.abs(frame[j]!));
    candidates.intensity[f] = Math.min(1, localPeak / globalPeak);
    if (localPeak === 0) {
      // Absolute silence: only the unvoiced candidate.
      candidates.frequency.push(Float64Array.of(0));
      candidates.strength.push(Float64Array.of(0));
      continue;
    }
    powerAutocorrelation(frame, fft, ac);
    r[maxLag] = 1;
    for (let i = 1; i <= maxLag; i++) r[maxLag + i] = r[maxLag - i] = ac.out[i]! / (ac.out[0]! * windowR[i]!);
    const found = frameCandidates(r, maxLag, maximumLag, 1 / dx, o.fmin, maxCandidates); // 1/dx, not sampleRate: Praat's rounding
    candidates.frequency.push(found.frequency);
    candidates.strength.push(found.strength);
  }
  const f0 = bestPitchPath(candidates, { ...PRAAT, ceiling, timeStep: dt });
  return { f0, hopSeconds: dt, startSeconds };
}

/**
 * Candidates of one frame from its normalised autocorrelation `r` (lag i at r[maxLag + i]):
 * unvoiced first, then local maxima above half the voicing threshold, located by a parabola
 * and weighed by sinc interpolation, the weakest (after the octave cost) dropped past
 * `maxCandidates`; finally each refined to the interpolated curve's maximum.
 */
function frameCandidates(r: Float64Array, maxLag: number, maximumLag: number, sampleRate: number, fmin: number, maxCandidates: number): { frequency: Float64Array; strength: Float64Array } {
  const lag = (i: number) => r[maxLag + i]!;
  const freqs = [0], strengths = [0], peaks = [0];
  const score = (strength: number, frequency: number) => strength - PRAAT.octaveCost * Math.log2(fmin / frequency);
  for (let i = 2; i < maximumLag && i < maxLag; i++) {
    if (!(lag(i) > 0.5 * PRAAT.voicingThreshold && lag(i) > lag(i - 1) && lag(i) >= lag(i + 1))) continue;
    const dr = 0.5 * (lag(i + 1) - lag(i - 1)), d2r = 2 * lag(i) - lag(i - 1) - lag(i + 1);
    const frequency = sampleRate / (i + dr / d2r);
    let strength = interpolateSinc(r, sampleRate / frequency + maxLag, 30);
    if (strength > 1) strength = 1 / strength; // short windows overshoot: reflect around 1
    let place = -1;
    if (freqs.length < maxCandidates) place = freqs.length;
    else {
      let weakest = 2;
      for (let k = 1; k < maxCandidates; k++) {
        const s = score(strengths[k]!, freqs[k]!);
        if (s < weakest) (weakest = s), (place = k);
      }
      if (score(strength, frequency) <= weakest) place = -1;
    }
    if (place >= 0) (freqs[place] = frequency), (strengths[place] = strength), (peaks[place] = i);
  }
  // Second pass: the maximum of the sinc-interpolated correlation, for precision.
  for (let k = 1; k < freqs.length; k++) {
    const depth = freqs[k]! > 0.3 * sampleRate ? 700 : 70;
    const best = refineMaximum(r, peaks[k]! + maxLag, depth);
    freqs[k] = sampleRate / (best.x - maxLag);
    strengths[k] = best.value > 1 ? 1 / best.value : best.value;
  }
  return { frequency: Float64Array.from(freqs), strength: Float64Array.from(strengths) };
}

/** Unnormalised autocorrelation of a zero-padded frame via |FFT|² (the inverse of the power spectrum). */
function powerAutocorrelation(frame: Float64Array, fft: ReturnType<typeof realFft>, ac: { re: Float64Array; im: Float64Array; out: Float64Array }): void {
  const { re, im } = ac;
  fft.forward(frame, re, im);
  for (let k = 0; k < fft.bins; k++) (re[k] = re[k]! * re[k]! + im[k]! * im[k]!), (im[k] = 0);
  fft.inverse(re, im, ac.out);
}

/** The window's autocorrelation normalised to 1 at lag 0: dividing by it undoes the window's taper. */
function autocorrelation(window: Float64Array, fft: ReturnType<typeof realFft>): Float64Array {
  const frame = new Float64Array(fft.size);
  frame.set(window);
  const ac = { re: new Float64Array(fft.bins), im: new Float64Array(fft.bins), out: new Float64Array(fft.size) };
  powerAutocorrelation(frame, fft, ac);
  const out = new Float64Array(window.length);
  for (let i = 0; i < window.length; i++) out[i] = ac.out[i]! / ac.out[0]!;
  return out;
}

/** Median of the voiced frames; undefined when none is voiced (no pitch to report). */
export function medianVoicedF0(track: { readonly f0: ArrayLike<number> }): number | undefined {
  const voiced = Array.from(track.f0).filter((f) => f > 0);
  return median(voiced);
}

/**
 * Median over all frames after filling unvoiced ones by linear interpolation between voiced
 * neighbours (held flat past the ends), as pitch-matching code built on `np.interp` does;
 * undefined when no frame is voiced.
 */
export function medianInterpolatedF0(track: { readonly f0: ArrayLike<number> }): number | undefined {
  const f0 = Array.from(track.f0);
  const voicedAt = f0.flatMap((f, i) => (f > 0 ? [i] : []));
  if (voicedAt.length === 0) return undefined;
  let next = 0;
  const filled = f0.map((f, i) => {
    if (f > 0) return f;
    while (next < voicedAt.length && voicedAt[next]! < i) next++;
    if (next === 0) return f0[voicedAt[0]!]!;
    if (next === voicedAt.length) return f0[voicedAt[next - 1]!]!;
    const a = voicedAt[next - 1]!, b = voicedAt[next]!;
    return f0[a]! + ((i - a) / (b - a)) * (f0[b]! - f0[a]!);
  });
  return median(filled);
}

/** numpy's median: the mean of the two middle values for an even count. */
function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = values.sort((a, b) => a - b), mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : 0.5 * (sorted[mid - 1]! + sorted[mid]!);
}
