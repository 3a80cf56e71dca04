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
  const envelope = new Float64Array(total);
  const re = new Float64Array(bins), im = new Float64Array(bins), frame = new Float64Array(nFft);
  for (let t = 0; t < frames; t++) {
    fill(t, re, im);
    fft.inverse(re, im, frame);
    const start = t * hop;
    for (let i = 0; i < nFft; i++) {
      signal[start + i]! += frame[i]! * win[i]!;
      envelope[start + i]! += win[i]! * win[i]!;
    }
  }
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
