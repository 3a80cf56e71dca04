// Real-input FFT on top of the complex one in fft.ts, with a per-size plan cache.
import { ComplexFft } from './fft.ts';

/**
 * FFT of a real signal of length n, giving bins 0..n/2 (as numpy.fft.rfft), and its
 * inverse (numpy.fft.irfft: the imaginary parts of DC and Nyquist are ignored). Even
 * lengths pack the signal into a complex one of length n/2 (half the work).
 */
export class RealFft {
  readonly size: number;
  readonly bins: number;
  private readonly half: number;
  private readonly complex: ComplexFft;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** e^{-2πik/n} for k ≤ n/2 (even n). */
  private readonly wRe: Float64Array;
  private readonly wIm: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.bins = Math.floor(size / 2) + 1;
    const packed = size % 2 === 0 && size >= 2;
    this.half = packed ? size / 2 : 0;
    this.complex = new ComplexFft(packed ? size / 2 : size);
    this.re = new Float64Array(packed ? size / 2 : size);
    this.im = new Float64Array(packed ? size / 2 : size);
    this.wRe = new Float64Array(this.bins);
    this.wIm = new Float64Array(this.bins);
    for (let k = 0; k < this.bins; k++) {
      this.wRe[k] = Math.cos((-2 * Math.PI * k) / size);
      this.wIm[k] = Math.sin((-2 * Math.PI * k) / size);
    }
  }

  /** input: n real samples; writes `bins` complex values into outRe/outIm. */
  forward(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    const { re, im, size, bins, half } = this;
    if (!half) {
      for (let i = 0; i < size; i++) re[i] = input[i]!;
      im.fill(0);
      this.complex.forward(re, im);
      for (let k = 0; k < bins; k++) (outRe[k] = re[k]!), (outIm[k] = im[k]!);
      return;
    }
    for (let k = 0; k < half; k++) {
      re[k] = input[2 * k]!;
      im[k] = input[2 * k + 1]!;
    }
    this.complex.forward(re, im);
    const { wRe, wIm } = this;
    for (let k = 0; k <= half; k++) {
      const a = k % half, b = (half - k) % half;
      const zr = re[a]!, zi = im[a]!, cr = re[b]!, ci = -im[b]!;
      // even part E = (Z + conj Z')/2, odd part O = (Z − conj Z')/(2i)
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);
      outRe[k] = er + wRe[k]! * or - wIm[k]! * oi;
      outIm[k] = ei + wRe[k]! * oi + wIm[k]! * or;
    }
  }

  /** Inverse of `forward`: n real samples from `bins` complex values. */
  inverse(inRe: ArrayLike<number>, inIm: ArrayLike<number>, output: Float64Array): void {
    const { re, im, size, bins, half } = this;
    if (!half) {
      for (let k = 0; k < bins; k++) (re[k] = inRe[k]!), (im[k] = inIm[k]!);
      im[0] = 0;
      for (let k = bins; k < size; k++) (re[k] = re[size - k]!), (im[k] = -im[size - k]!);
      this.complex.inverse(re, im);
      output.set(re.subarray(0, size));
      return;
    }
    const { wRe, wIm } = this;
    for (let k = 0; k < half; k++) {
      const xr = inRe[k]!, xi = k === 0 ? 0 : inIm[k]!;
      const yr = inRe[half - k]!, yi = half - k === half || k === 0 ? 0 : -inIm[half - k]!;
      // E = (X[k] + conj X[n/2−k])/2, O = (X[k] − conj X[n/2−k])·e^{+2πik/n}/2, Z = E + iO
      const er = 0.5 * (xr + yr), ei = 0.5 * (xi + yi);
      const dr = 0.5 * (xr - yr), di = 0.5 * (xi - yi);
      const or = dr * wRe[k]! + di * wIm[k]!, oi = di * wRe[k]! - dr * wIm[k]!;
      re[k] = er - oi;
      im[k] = ei + or;
    }
    this.complex.inverse(re, im);
    for (let k = 0; k < half; k++) {
      output[2 * k] = re[k]!;
      output[2 * k + 1] = im[k]!;
    }
  }
}

const plans = new Map<number, RealFft>();

/** A cached real FFT plan (plans hold scratch buffers: use from one thread at a time). */
export function realFft(size: number): RealFft {
  let plan = plans.get(size);
  if (!plan) {
    plan = new RealFft(size);
    plans.set(size, plan);
  }
  return plan;
}
