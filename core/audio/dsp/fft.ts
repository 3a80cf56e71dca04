// FFT of any length. Model front ends use sizes that are not powers of two (1920 =
// 2⁷·3·5, 400 = 2⁴·5²), so this is a mixed-radix Stockham FFT (self-sorting, no bit
// reversal) over the length's small prime factors, with Bluestein's chirp-z algorithm for
// lengths that have a large prime factor. All arithmetic is float64, so spectra match
// numpy/torch references to ~1e-12 relative.
import { BLUESTEIN_ABOVE, butterflyStage, type Stage } from './fft-butterflies.ts';

/** Radices, largest first; 2^e as 8s with one 4 (e ≡ 2 mod 3), or two 4s (e ≡ 1), or a 2 (e = 1). */
function factorize(n: number): number[] {
  const factors: number[] = [];
  let rest = n, twos = 0;
  while (rest % 2 === 0) (twos++, (rest /= 2));
  let eights = Math.floor(twos / 3), fours = 0, two = 0;
  if (twos % 3 === 2) fours = 1;
  else if (twos % 3 === 1) {
    if (eights > 0) (eights--, (fours = 2));
    else two = 1;
  }
  for (let i = 0; i < eights; i++) factors.push(8);
  for (let i = 0; i < fours; i++) factors.push(4);
  if (two) factors.push(2);
  for (const p of [3, 5]) while (rest % p === 0) (factors.push(p), (rest /= p));
  for (let p = 7; p * p <= rest; p += 2) while (rest % p === 0) (factors.push(p), (rest /= p));
  if (rest > 1) factors.push(rest);
  return factors;
}

/** A complex FFT of one length, forward (e^{-iωt}). In-place on split re/im arrays. */
export class ComplexFft {
  readonly size: number;
  private readonly stages: Stage[] = [];
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;
  private readonly bluestein?: Bluestein;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`FFT size must be a positive integer, got ${size}`);
    this.size = size;
    this.workRe = new Float64Array(size);
    this.workIm = new Float64Array(size);
    const factors = factorize(size);
    if (factors.some((f) => f > BLUESTEIN_ABOVE)) {
      this.bluestein = new Bluestein(size);
      return;
    }
    let span = size;
    for (const radix of factors) {
      const m = span / radix;
      const twiddles = new Float64Array(2 * m * radix);
      for (let p = 0; p < m; p++) {
        for (let u = 0; u < radix; u++) {
          const angle = (-2 * Math.PI * p * u) / span;
          twiddles[2 * (p * radix + u)] = Math.cos(angle);
          twiddles[2 * (p * radix + u) + 1] = Math.sin(angle);
        }
      }
      this.stages.push({ radix, twiddles, span });
      span = m;
    }
  }

  /** Forward transform of (re, im), in place. */
  forward(re: Float64Array, im: Float64Array): void {
    if (this.bluestein) return this.bluestein.forward(re, im);
    let xr = re, xi = im, yr = this.workRe, yi = this.workIm;
    let stride = 1;
    for (const stage of this.stages) {
      butterflyStage(stage, stride, xr, xi, yr, yi);
      [xr, yr] = [yr, xr];
      [xi, yi] = [yi, xi];
      stride *= stage.radix;
    }
    if (xr !== re) {
      re.set(xr);
      im.set(xi);
    }
  }

  /** Inverse transform, scaled by 1/n, in place. */
  inverse(re: Float64Array, im: Float64Array): void {
    for (let i = 0; i < this.size; i++) im[i] = -im[i]!;
    this.forward(re, im);
    const scale = 1 / this.size;
    for (let i = 0; i < this.size; i++) {
      re[i]! *= scale;
      im[i] = -im[i]! * scale;
    }
  }
}

/** Bluestein: an n-point DFT as a convolution with a chirp, done by a power-of-two FFT. */
class Bluestein {
  private readonly n: number;
  private readonly fft: ComplexFft;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly bufRe: Float64Array;
  private readonly bufIm: Float64Array;

  constructor(n: number) {
    this.n = n;
    let size = 1;
    while (size < 2 * n - 1) size *= 2;
    this.fft = new ComplexFft(size);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle small and exact for large k.
      const angle = (-Math.PI * ((k * k) % (2 * n))) / n;
      this.chirpRe[k] = Math.cos(angle);
      this.chirpIm[k] = Math.sin(angle);
    }
    this.kernelRe = new Float64Array(size);
    this.kernelIm = new Float64Array(size);
    for (let k = 0; k < n; k++) {
      this.kernelRe[k] = this.chirpRe[k]!;
      this.kernelIm[k] = -this.chirpIm[k]!;
      if (k > 0) {
        this.kernelRe[size - k] = this.chirpRe[k]!;
        this.kernelIm[size - k] = -this.chirpIm[k]!;
      }
    }
    this.fft.forward(this.kernelRe, this.kernelIm);
    this.bufRe = new Float64Array(size);
    this.bufIm = new Float64Array(size);
  }

  forward(re: Float64Array, im: Float64Array): void {
    const { n, bufRe, bufIm, chirpRe, chirpIm, kernelRe, kernelIm } = this;
    bufRe.fill(0);
    bufIm.fill(0);
    for (let k = 0; k < n; k++) {
      bufRe[k] = re[k]! * chirpRe[k]! - im[k]! * chirpIm[k]!;
      bufIm[k] = re[k]! * chirpIm[k]! + im[k]! * chirpRe[k]!;
    }
    this.fft.forward(bufRe, bufIm);
    for (let k = 0; k < bufRe.length; k++) {
      const r = bufRe[k]! * kernelRe[k]! - bufIm[k]! * kernelIm[k]!;
      bufIm[k] = bufRe[k]! * kernelIm[k]! + bufIm[k]! * kernelRe[k]!;
      bufRe[k] = r;
    }
    this.fft.inverse(bufRe, bufIm);
    for (let k = 0; k < n; k++) {
      re[k] = bufRe[k]! * chirpRe[k]! - bufIm[k]! * chirpIm[k]!;
      im[k] = bufRe[k]! * chirpIm[k]! + bufIm[k]! * chirpRe[k]!;
    }
  }
}
