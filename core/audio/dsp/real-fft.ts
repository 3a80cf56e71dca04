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
    const { re, im, size, half } = this;
    if (!half) {
      for (let i = 0; i < size; i++) re[i] = input[i]!;
      return this.transformUnpacked(outRe, outIm);
    }
    for (let k = 0; k < half; k++) {
      re[k] = input[2 * k]!;
      im[k] = input[2 * k + 1]!;
    }
    this.transformPacked(outRe, outIm);
  }

  /**
   * `forward` of the frame signal[start + i]·window[i], i < n, read straight into the packed
   * buffers: an STFT needs no separate windowing pass.
   */
  forwardWindowed(signal: Float32Array | Float64Array, start: number, window: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const { re, im, size, half } = this;
    if (!half) {
      for (let i = 0; i < size; i++) re[i] = signal[start + i]! * window[i]!;
      return this.transformUnpacked(outRe, outIm);
    }
    for (let k = 0, i = start; k < half; k++, i += 2) {
      re[k] = signal[i]! * window[2 * k]!;
      im[k] = signal[i + 1]! * window[2 * k + 1]!;
    }
    this.transformPacked(outRe, outIm);
  }

  private transformUnpacked(outRe: Float64Array, outIm: Float64Array): void {
    const { re, im, bins } = this;
    im.fill(0);
    this.complex.forward(re, im);
    for (let k = 0; k < bins; k++) (outRe[k] = re[k]!), (outIm[k] = im[k]!);
  }

  /** The complex FFT of the packed even/odd samples, split into the real signal's spectrum. */
  private transformPacked(outRe: Float64Array, outIm: Float64Array): void {
    const { re, im, half } = this;
    this.complex.forward(re, im);
    const { wRe, wIm } = this;
    // DC and Nyquist both come from Z[0]; the other bins pair Z[k] with Z[n/2 − k].
    outRe[0] = re[0]! + im[0]!;
    outIm[0] = 0;
    outRe[half] = re[0]! - im[0]!;
    outIm[half] = 0;
    for (let k = 1; k < half; k++) {
      const b = half - k;
      const zr = re[k]!, zi = im[k]!, cr = re[b]!, ci = -im[b]!;
      // even part E = (Z + conj Z')/2, odd part O = (Z − conj Z')/(2i)
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);
      outRe[k] = er + wRe[k]! * or - wIm[k]! * oi;
      outIm[k] = ei + wRe[k]! * oi + wIm[k]! * or;
    }
  }

  /** Inverse of `forward`: n real samples from `bins` complex values. */
  inverse(inRe: ArrayLike<number>, inIm: ArrayLike<number>, output: Float64Array): void {
    const { re, im, size, half } = this;
    this.inverseTransform(inRe, inIm);
    if (!half) {
      output.set(re.subarray(0, size));
      return;
    }
    const scale = 1 / half;
    for (let k = 0; k < half; k++) {
      output[2 * k] = re[k]! * scale;
      output[2 * k + 1] = -im[k]! * scale;
    }
  }

  /**
   * Adds window[i]·(the inverse of inRe/inIm)[i] to target[start + i], i < n: the overlap-add
   * step of an inverse STFT without a separate frame buffer pass (same products, same rounding).
   */
  inverseAdd(inRe: ArrayLike<number>, inIm: ArrayLike<number>, window: Float64Array, target: Float64Array, start: number): void {
    const { re, im, size, half } = this;
    this.inverseTransform(inRe, inIm);
    if (!half) {
      for (let i = 0; i < size; i++) target[start + i]! += re[i]! * window[i]!;
      return;
    }
    const scaled = this.scaledWindow(window);
    for (let k = 0, i = start; k < half; k++, i += 2) {
      target[i]! += re[k]! * scaled[2 * k]!;
      target[i + 1]! -= im[k]! * scaled[2 * k + 1]!;
    }
  }

  private lastWindow?: Float64Array;
  private lastScaled?: Float64Array;

  /**
   * window · 2/n, kept for the window last used (an inverse STFT passes the same one for every
   * frame). For power-of-two sizes 2/n is a power of two and x·(w·2/n) rounds exactly as
   * (x·2/n)·w; for others the two differ by at most an ulp of float64.
   */
  private scaledWindow(window: Float64Array): Float64Array {
    if (this.lastWindow !== window || !this.lastScaled) {
      const scale = 1 / this.half;
      this.lastScaled = window.map((w) => w * scale);
      this.lastWindow = window;
    }
    return this.lastScaled;
  }

  /**
   * Leaves the inverse in the scratch buffers: for odd n the real samples in `re`; for even n
   * the packed samples as conj(FFT(conj Z)) still to be conjugated and scaled by 2/n (the
   * inverse transform folded into the unpacking, saving two passes).
   */
  private inverseTransform(inRe: ArrayLike<number>, inIm: ArrayLike<number>): void {
    const { re, im, size, bins, half } = this;
    if (!half) {
      for (let k = 0; k < bins; k++) (re[k] = inRe[k]!), (im[k] = inIm[k]!);
      im[0] = 0;
      for (let k = bins; k < size; k++) (re[k] = re[size - k]!), (im[k] = -im[size - k]!);
      this.complex.inverse(re, im);
      return;
    }
    const { wRe, wIm } = this;
    for (let k = 0; k < half; k++) {
      const xr = inRe[k]!, xi = k === 0 ? 0 : inIm[k]!;
      const yr = inRe[half - k]!, yi = k === 0 ? 0 : -inIm[half - k]!;
      // E = (X[k] + conj X[n/2−k])/2, O = (X[k] − conj X[n/2−k])·e^{+2πik/n}/2, Z = E + iO
      const er = 0.5 * (xr + yr), ei = 0.5 * (xi + yi);
      const dr = 0.5 * (xr - yr), di = 0.5 * (xi - yi);
      const or = dr * wRe[k]! + di * wIm[k]!, oi = di * wRe[k]! - dr * wIm[k]!;
      re[k] = er - oi;
      im[k] = -(ei + or);
    }
    this.complex.forward(re, im);
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
