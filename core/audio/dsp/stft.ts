// Short-time Fourier transform with torch.stft's conventions (window centred in n_fft,
// center/reflect padding, frames laid out [bins][frames]), plus the magnitude/power
// reductions the model front ends use.
import type { ComplexSpectrogram, SpectrogramOptions, StftOptions } from '../feature-types.ts';
import { realFft } from './real-fft.ts';
import { paddedSlice } from './padding.ts';
import { paddedWindow } from './windows.ts';

export function checkStftOptions(options: StftOptions): void {
  const { nFft, hop, winLength = nFft, pad = 0 } = options;
  if (!Number.isInteger(nFft) || nFft < 2 || nFft > 65536) throw new RangeError(`nFft must be an integer in 2..65536, got ${nFft}`);
  if (!Number.isInteger(hop) || hop < 1) throw new RangeError(`hop must be a positive integer, got ${hop}`);
  if (!Number.isInteger(winLength) || winLength < 1 || winLength > nFft) throw new RangeError(`winLength must be an integer in 1..nFft, got ${winLength}`);
  if (!Number.isInteger(pad) || pad < 0) throw new RangeError(`pad must be a non-negative integer, got ${pad}`);
}

/** The frame count torch.stft would use for a signal of `length` samples. */
export function frameCount(length: number, options: StftOptions): number {
  checkStftOptions(options);
  const { nFft, hop, center = true, pad = 0, dropLastFrame = false } = options;
  const padded = length + 2 * (pad + (center ? Math.floor(nFft / 2) : 0));
  const frames = padded >= nFft ? 1 + Math.floor((padded - nFft) / hop) : 0;
  return dropLastFrame && frames > 0 ? frames - 1 : frames;
}

/**
 * Windowed spectra of the frames of a signal padded as torch.stft pads it, without padding
 * it: `read(t, re, im)` transforms frame t straight from the signal where the frame lies
 * inside it, and from a padded copy of that one frame at the edges.
 */
export function spectrumReader(signal: ArrayLike<number>, options: StftOptions): { frames: number; bins: number; read(t: number, re: Float64Array, im: Float64Array): void } {
  const { nFft, hop, winLength = nFft, window = 'hann', periodic = true, center = true, padMode = 'reflect', pad = 0 } = options;
  const frames = frameCount(signal.length, options);
  const side = pad + (center ? Math.floor(nFft / 2) : 0);
  // Typed input is read as it is (edge frames copied into the same type, so the FFT's
  // reads see one array type); anything else is copied once.
  const source = signal instanceof Float32Array || signal instanceof Float64Array ? signal : Float64Array.from(signal);
  const edge = source instanceof Float32Array ? new Float32Array(nFft) : new Float64Array(nFft);
  const fft = realFft(nFft);
  const win = paddedWindow(window, winLength, nFft, periodic);
  const last = source.length - nFft;
  return {
    frames,
    bins: fft.bins,
    read(t, re, im) {
      const start = t * hop - side;
      if (start >= 0 && start <= last) return fft.forwardWindowed(source, start, win, re, im);
      paddedSlice(source, start, padMode, edge);
      fft.forwardWindowed(edge, 0, win, re, im);
    },
  };
}

/**
 * Visits every frame's spectrum: `visit(t, re, im)` with `nFft/2+1` bins in float64.
 * The feature functions reduce each frame as it comes, so no full complex matrix is kept.
 */
export function forEachSpectrum(signal: ArrayLike<number>, options: StftOptions, visit: (frame: number, re: Float64Array, im: Float64Array) => void): number {
  const reader = spectrumReader(signal, options);
  const re = new Float64Array(reader.bins), im = new Float64Array(reader.bins);
  for (let t = 0; t < reader.frames; t++) {
    reader.read(t, re, im);
    visit(t, re, im);
  }
  return reader.frames;
}

export function stft(signal: ArrayLike<number>, options: StftOptions): ComplexSpectrogram {
  const bins = Math.floor(options.nFft / 2) + 1;
  const frames = frameCount(signal.length, options);
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
  const frames = frameCount(signal.length, options);
  const out = new Float32Array(bins * frames);
  const mag = new Float64Array(bins);
  forEachSpectrum(signal, options, (t, re, im) => {
    magnitudeOf(re, im, mag, options);
    for (let k = 0; k < bins; k++) out[k * frames + t] = mag[k]!;
  });
  return { data: out, dims: [bins, frames] };
}
