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

/** The inverse STFT with frames supplied by `fill(t, re, im)` (any layout the caller keeps). */
export function overlapAdd(bins: number, frames: number, options: StftOptions & { length?: number }, fill: (t: number, re: Float64Array, im: Float64Array) => void): Float32Array {
  checkStftOptions(options);
  const { nFft, hop, winLength = nFft, window = 'hann', periodic = true, center = true, pad = 0 } = options;
  const fft = realFft(nFft);
  if (bins !== fft.bins) throw new RangeError(`spectrum has ${bins} bins; nFft ${nFft} needs ${fft.bins}`);
  const win = paddedWindow(window, winLength, nFft, periodic);
  const total = frames > 0 ? nFft + hop * (frames - 1) : 0;
  const signal = new Float64Array(total);
  const re = new Float64Array(bins), im = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    fill(t, re, im);
    fft.inverseAdd(re, im, win, signal, t * hop);
  }
  const envelope = windowEnvelope(win, hop, frames, total);
  const trim = pad + (center ? Math.floor(nFft / 2) : 0);
  const natural = Math.max(0, total - 2 * trim);
  const length = options.length ?? natural;
  const out = new Float32Array(length);
  // As torch.istft: a longer `length` reads into the right padding's overlap-add too.
  for (let i = 0; i < Math.min(length, total - trim); i++) {
    const e = envelope[trim + i]!;
    out[i] = e > 1e-11 ? signal[trim + i]! / e : 0;
  }
  return out;
}

/**
 * Σ_t window²[i − t·hop] over the frames covering sample i. Where every frame that could
 * cover i exists the sum is periodic in hop, so it is summed once per phase (in the same
 * order as frame by frame, so the same rounding) and only the first and last nFft samples
 * are accumulated frame by frame.
 */
function windowEnvelope(win: Float64Array, hop: number, frames: number, total: number): Float64Array {
  const nFft = win.length;
  const envelope = new Float64Array(total);
  const square = win.map((w) => w * w);
  // [lo, hi): samples under every frame that can reach them.
  const lo = nFft - 1, hi = Math.min(total, frames * hop);
  for (let t = 0; t < frames; t++) {
    const start = t * hop;
    if (start >= lo && start + nFft <= hi) continue;
    for (let i = 0; i < nFft; i++) {
      const at = start + i;
      if (at < lo || at >= hi) envelope[at]! += square[i]!;
    }
  }
  if (lo >= hi) return envelope;
  const period = new Float64Array(hop);
  for (let j = 0; j < hop; j++) {
    // Frame order is decreasing offset within the window.
    let sum = 0;
    for (let offset = j + hop * Math.floor((nFft - 1 - j) / hop); offset >= 0; offset -= hop) sum += square[offset]!;
    period[j] = sum;
  }
  for (let at = lo, j = lo % hop; at < hi; at++) {
    envelope[at] = period[j]!;
    if (++j === hop) j = 0;
  }
  return envelope;
}
