// Short-time Fourier transform with torch.stft's conventions (window centred in n_fft,
// center/reflect padding, frames laid out [bins][frames]), plus the magnitude/power
// reductions the model front ends use.
import type { ComplexSpectrogram, SpectrogramOptions, StftOptions } from '../feature-types.ts';
import { realFft } from './real-fft.ts';
import { padSignal } from './padding.ts';
import { paddedWindow } from './windows.ts';

export function checkStftOptions(options: StftOptions): void {
  const { nFft, hop, winLength = nFft, pad = 0 } = options;
  if (!Number.isInteger(nFft) || nFft < 2 || nFft > 65536) throw new RangeError(`nFft must be an integer in 2..65536, got ${nFft}`);
  if (!Number.isInteger(hop) || hop < 1) throw new RangeError(`hop must be a positive integer, got ${hop}`);
  if (!Number.isInteger(winLength) || winLength < 1 || winLength > nFft) throw new RangeError(`winLength must be an integer in 1..nFft, got ${winLength}`);
  if (!Number.isInteger(pad) || pad < 0) throw new RangeError(`pad must be a non-negative integer, got ${pad}`);
}

/** The padded signal and frame count torch.stft would use. */
export function framing(signal: ArrayLike<number>, options: StftOptions): { padded: Float64Array; frames: number } {
  checkStftOptions(options);
  const { nFft, hop, center = true, padMode = 'reflect', pad = 0, dropLastFrame = false } = options;
  const side = pad + (center ? Math.floor(nFft / 2) : 0);
  const padded = padSignal(signal, side, side, padMode);
  let frames = padded.length >= nFft ? 1 + Math.floor((padded.length - nFft) / hop) : 0;
  if (dropLastFrame && frames > 0) frames--;
  return { padded, frames };
}

/**
 * Visits every frame's spectrum: `visit(t, re, im)` with `nFft/2+1` bins in float64.
 * The feature functions reduce each frame as it comes, so no full complex matrix is kept.
 */
export function forEachSpectrum(signal: ArrayLike<number>, options: StftOptions, visit: (frame: number, re: Float64Array, im: Float64Array) => void): number {
  const { nFft, hop, winLength = nFft, window = 'hann', periodic = true } = options;
  const { padded, frames } = framing(signal, options);
  const fft = realFft(nFft);
  const win = paddedWindow(window, winLength, nFft, periodic);
  const re = new Float64Array(fft.bins), im = new Float64Array(fft.bins);
  for (let t = 0; t < frames; t++) {
    fft.forwardWindowed(padded, t * hop, win, re, im);
    visit(t, re, im);
  }
  return frames;
}

export function stft(signal: ArrayLike<number>, options: StftOptions): ComplexSpectrogram {
  const bins = Math.floor(options.nFft / 2) + 1;
  const { frames } = framing(signal, options);
  const outRe = new Float32Array(bins * frames), outIm = new Float32Array(bins * frames);
  forEachSpectrum(signal, options, (t, re, im) => {
    for (let k = 0; k < bins; k++) {
      outRe[k * frames + t] = re[k]!;
      outIm[k * frames + t] = im[k]!;
    }
  });
  return { re: outRe, im: outIm, dims: [bins, frames] };
}

/** |X|^power per bin, with the optional ε under the square root. */
export function magnitudeOf(re: Float64Array, im: Float64Array, out: Float64Array, options: SpectrogramOptions): void {
  const { power = 1, magnitudeEpsilon = 0 } = options;
  for (let k = 0; k < out.length; k++) {
    const energy = re[k]! * re[k]! + im[k]! * im[k]!;
    out[k] = power === 2 ? energy : Math.sqrt(energy + magnitudeEpsilon);
  }
}

/** Magnitude (power 1) or power (2) spectrogram, [bins][frames]. */
export function spectrogram(signal: ArrayLike<number>, options: SpectrogramOptions): { data: Float32Array; dims: [number, number] } {
  const bins = Math.floor(options.nFft / 2) + 1;
  const { frames } = framing(signal, options);
  const out = new Float32Array(bins * frames);
  const mag = new Float64Array(bins);
  forEachSpectrum(signal, options, (t, re, im) => {
    magnitudeOf(re, im, mag, options);
    for (let k = 0; k < bins; k++) out[k * frames + t] = mag[k]!;
  });
  return { data: out, dims: [bins, frames] };
}
