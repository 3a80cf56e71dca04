// Inverse STFT by windowed overlap-add, divided by the overlap-added squared window
// (torch.istft's envelope normalisation), then the centre/extra padding trimmed. With
// center false and pad (nFft − hop)/2 this is the "same"-padding ISTFT of vocoder heads that predict spectra:
// exactly frames·hop samples out.
import type { StftOptions } from '../feature-types.ts';
import { realFft } from './real-fft.ts';
import { checkStftOptions } from './stft.ts';
import { paddedWindow } from './windows.ts';

export interface IstftInput {
  readonly re: ArrayLike<number>;
  readonly im: ArrayLike<number>;
  /** [bins, frames] with bins = nFft/2+1. */
  readonly dims: readonly [number, number];
}

/** The "same"-padding ISTFT of a Vocos-style head (vocos.py `ISTFT`): periodic Hann, no centring, (nFft − hop)/2 trimmed per side. */
export function samePaddingIstft(nFft: number, hop: number): StftOptions {
  return { nFft, hop, winLength: nFft, window: 'hann', periodic: true, center: false, pad: (nFft - hop) / 2 };
}

/** `length`: trim or zero-pad the result to this many samples (torch.istft `length`). */
export function istft(spec: IstftInput, options: StftOptions & { length?: number }): Float32Array {
  const [bins, frames] = spec.dims;
  return overlapAdd(bins, frames, options, (t, re, im) => {
    for (let k = 0; k < bins; k++) {
      re[k] = spec.re[k * frames + t]!;
      im[k] = spec.im[k * frames + t]!;
    }
  });
}

/** Frames between two moves of the unfinished overlap-add sum. */
const SLIDE = 16;

/** Output samples [start, end) of an inverse STFT: a part of the whole, computed from only the frames that reach it. */
export interface SampleRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The inverse STFT with frames supplied by `fill(t, re, im)` (any layout the caller keeps).
 * With `range`, only the samples [start, end) are made, from the frames that overlap them
 * (fill is called for those, in order): bit for bit the same samples as the whole.
 */
export function overlapAdd(bins: number, frames: number, options: StftOptions & { length?: number }, fill: (t: number, re: Float64Array, im: Float64Array) => void, range?: SampleRange): Float32Array {
  checkStftOptions(options);
  const { nFft, hop, winLength = nFft, window = 'hann', periodic = true, center = true, pad = 0 } = options;
  const fft = realFft(nFft);
  if (bins !== fft.bins) throw new RangeError(`spectrum has ${bins} bins; nFft ${nFft} needs ${fft.bins}`);
  const win = paddedWindow(window, winLength, nFft, periodic);
  const total = frames > 0 ? nFft + hop * (frames - 1) : 0;
  const trim = pad + (center ? Math.floor(nFft / 2) : 0);
  const natural = Math.max(0, total - 2 * trim);
  const length = options.length ?? natural;
  const start = range?.start ?? 0, end = range?.end ?? length;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= length)) throw new RangeError(`range ${start}..${end} is not within 0..${length}`);
  const out = new Float32Array(end - start);
  // As torch.istft: a longer `length` reads into the right padding's overlap-add too.
  const limit = Math.min(end, total - trim);
  // Frame t covers padded samples [t·hop, t·hop + nFft), output samples from t·hop − trim.
  const firstFrame = Math.max(0, Math.floor((start + trim - nFft) / hop) + 1);
  const lastFrame = Math.min(frames - 1, Math.floor((end + trim - 1) / hop));
  const envelope = windowEnvelope(win, hop, frames, total);
  // Once frame t is added, the samples before frame t + 1's start are final: they are
  // written out and the sum moves on, so it spans a few frames, not the whole signal (each
  // sample still sums the same products in the same order). The unfinished samples move back
  // to the start only every SLIDE frames.
  const span = Math.max(nFft, hop);
  const capacity = span + SLIDE * hop;
  const sum = new Float64Array(capacity);
  let base = 0; // where frame t starts in `sum`
  const flush = (from: number, offset: number, count: number) => {
    const { head, tail, period, lo, hi } = envelope;
    for (let i = offset, at = from, j = from % hop, end = offset + count; i < end; i++, at++) {
      const n = at - trim;
      if (n >= start && n < limit) {
        out[n - start] = sum[i]! * (at < lo ? head[at]! : at >= hi ? tail[at - hi]! : period[j]!);
      }
      if (++j === hop) j = 0;
    }
  };
  const re = new Float64Array(bins), im = new Float64Array(bins);
  for (let t = firstFrame; t <= lastFrame; t++) {
    if (base + span > capacity) {
      sum.copyWithin(0, base);
      sum.fill(0, capacity - base);
      base = 0;
    }
    fill(t, re, im);
    fft.inverseAdd(re, im, win, sum, base);
    flush(t * hop, base, hop);
    base += hop;
  }
  if (lastFrame >= firstFrame) flush((lastFrame + 1) * hop, base, span - hop);
  return out;
}

/**
 * 1 / Σ_t window²[i − t·hop] over the frames covering sample i (0 where that sum is under
 * 1e-11: nothing to divide by), as head, periodic middle and tail.
 */
interface WindowEnvelope {
  /** Samples [0, lo). */
  readonly head: Float64Array;
  /** Sample i in [lo, hi) has period[i mod hop]. */
  readonly period: Float64Array;
  /** Samples [hi, total). */
  readonly tail: Float64Array;
  readonly lo: number;
  readonly hi: number;
}

/**
 * Where every frame that could cover sample i exists (i in [nFft − 1, frames·hop)) the
 * envelope is periodic in hop, so it is summed once per phase (in frame order, so with the
 * same rounding as frame by frame); only the first and last nFft or so samples are
 * accumulated frame by frame.
 */
function windowEnvelope(win: Float64Array, hop: number, frames: number, total: number): WindowEnvelope {
  const nFft = win.length;
  const square = win.map((w) => w * w);
  let lo = Math.min(nFft - 1, total), hi = Math.min(total, frames * hop);
  if (lo >= hi) (lo = total), (hi = total);
  const head = new Float64Array(lo), tail = new Float64Array(total - hi);
  for (let t = 0; t < frames; t++) {
    const start = t * hop;
    if (start >= lo && start + nFft <= hi) continue;
    for (let i = 0; i < nFft; i++) {
      const at = start + i;
      if (at < lo) head[at]! += square[i]!;
      else if (at >= hi) tail[at - hi]! += square[i]!;
    }
  }
  const period = new Float64Array(hop);
  for (let j = 0; j < hop; j++) {
    // Frame order is decreasing offset within the window.
    let sum = 0;
    for (let offset = j + hop * Math.floor((nFft - 1 - j) / hop); offset >= 0; offset -= hop) sum += square[offset]!;
    period[j] = sum;
  }
  // Multiplying by the reciprocal differs from dividing by at most an ulp of float64, far
  // below the float32 the result is stored in.
  for (const sums of [head, period, tail]) for (let i = 0; i < sums.length; i++) sums[i] = sums[i]! > 1e-11 ? 1 / sums[i]! : 0;
  return { head, period, tail, lo, hi };
}
