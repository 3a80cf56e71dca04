// FFT of any length. Model front ends use sizes that are not powers of two (1920 =
// 2⁷·3·5, 400 = 2⁴·5²), so this is a mixed-radix Stockham FFT (self-sorting, no bit
// reversal) over the length's small prime factors, with Bluestein's chirp-z algorithm for
// lengths that have a large prime factor. Plans are cached per length; all arithmetic is
// float64 so spectra match numpy/torch references to ~1e-12 relative.

const BLUESTEIN_ABOVE = 61;

interface Stage {
  readonly radix: number;
  /** Twiddles w_n^(p·u) for p < m, u < radix, interleaved re/im. */
  readonly twiddles: Float64Array;
  readonly span: number;
}

function factorize(n: number): number[] {
  const factors: number[] = [];
  let rest = n;
  while (rest % 4 === 0) (factors.push(4), (rest /= 4));
  for (const p of [2, 3, 5]) while (rest % p === 0) (factors.push(p), (rest /= p));
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

function twiddle(yr: Float64Array, yi: Float64Array, at: number, r: number, i: number, wr: number, wi: number): void {
  yr[at] = r * wr - i * wi;
  yi[at] = r * wi + i * wr;
}

/**
 * One decimation-in-frequency Stockham stage: for sub-length `span` = radix·m and stride s,
 * y[q + s(radix·p + u)] = w_span^(p·u) · Σ_k x[q + s(p + k·m)] · ω_radix^(u·k).
 */
function butterflyStage(stage: Stage, s: number, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { radix, twiddles, span } = stage;
  const m = span / radix;
  const sm = s * m;
  if (radix === 2) {
    for (let p = 0; p < m; p++) {
      const wr = twiddles[4 * p + 2]!, wi = twiddles[4 * p + 3]!;
      for (let q = 0; q < s; q++) {
        const a = q + s * p, b = a + sm;
        const ar = xr[a]!, ai = xi[a]!, br = xr[b]!, bi = xi[b]!;
        const o = q + s * 2 * p;
        yr[o] = ar + br;
        yi[o] = ai + bi;
        const dr = ar - br, di = ai - bi;
        yr[o + s] = dr * wr - di * wi;
        yi[o + s] = dr * wi + di * wr;
      }
    }
    return;
  }
  if (radix === 4) {
    for (let p = 0; p < m; p++) {
      const t = 8 * p;
      const w1r = twiddles[t + 2]!, w1i = twiddles[t + 3]!, w2r = twiddles[t + 4]!, w2i = twiddles[t + 5]!, w3r = twiddles[t + 6]!, w3i = twiddles[t + 7]!;
      for (let q = 0; q < s; q++) {
        const i0 = q + s * p, i1 = i0 + sm, i2 = i1 + sm, i3 = i2 + sm;
        const a0r = xr[i0]!, a0i = xi[i0]!, a1r = xr[i1]!, a1i = xi[i1]!, a2r = xr[i2]!, a2i = xi[i2]!, a3r = xr[i3]!, a3i = xi[i3]!;
        const s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
        const s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
        const o = q + s * 4 * p;
        yr[o] = s02r + s13r;
        yi[o] = s02i + s13i;
        // ω_4 = -i: u=1 → d02 - i·d13, u=2 → s02 - s13, u=3 → d02 + i·d13
        let r = d02r + d13i, i = d02i - d13r;
        yr[o + s] = r * w1r - i * w1i;
        yi[o + s] = r * w1i + i * w1r;
        r = s02r - s13r;
        i = s02i - s13i;
        yr[o + 2 * s] = r * w2r - i * w2i;
        yi[o + 2 * s] = r * w2i + i * w2r;
        r = d02r - d13i;
        i = d02i + d13r;
        yr[o + 3 * s] = r * w3r - i * w3i;
        yi[o + 3 * s] = r * w3i + i * w3r;
      }
    }
    return;
  }
  if (radix === 3) {
    const h = Math.sqrt(3) / 2;
    for (let p = 0; p < m; p++) {
      const t = 6 * p;
      const w1r = twiddles[t + 2]!, w1i = twiddles[t + 3]!, w2r = twiddles[t + 4]!, w2i = twiddles[t + 5]!;
      for (let q = 0; q < s; q++) {
        const i0 = q + s * p, i1 = i0 + sm, i2 = i1 + sm;
        const a0r = xr[i0]!, a0i = xi[i0]!, a1r = xr[i1]!, a1i = xi[i1]!, a2r = xr[i2]!, a2i = xi[i2]!;
        const sr = a1r + a2r, si = a1i + a2i;
        const mr = a0r - 0.5 * sr, mi = a0i - 0.5 * si;
        const dr = h * (a1r - a2r), di = h * (a1i - a2i);
        const o = q + s * 3 * p;
        yr[o] = a0r + sr;
        yi[o] = a0i + si;
        // y1 = m − i·d, y2 = m + i·d
        let r = mr + di, i = mi - dr;
        yr[o + s] = r * w1r - i * w1i;
        yi[o + s] = r * w1i + i * w1r;
        r = mr - di;
        i = mi + dr;
        yr[o + 2 * s] = r * w2r - i * w2i;
        yi[o + 2 * s] = r * w2i + i * w2r;
      }
    }
    return;
  }
  if (radix === 5) {
    const c1 = Math.cos((2 * Math.PI) / 5), c2 = Math.cos((4 * Math.PI) / 5), s1 = Math.sin((2 * Math.PI) / 5), s2 = Math.sin((4 * Math.PI) / 5);
    for (let p = 0; p < m; p++) {
      const t = 10 * p;
      for (let q = 0; q < s; q++) {
        const i0 = q + s * p, i1 = i0 + sm, i2 = i1 + sm, i3 = i2 + sm, i4 = i3 + sm;
        const a0r = xr[i0]!, a0i = xi[i0]!;
        const b1r = xr[i1]! + xr[i4]!, b1i = xi[i1]! + xi[i4]!, d1r = xr[i1]! - xr[i4]!, d1i = xi[i1]! - xi[i4]!;
        const b2r = xr[i2]! + xr[i3]!, b2i = xi[i2]! + xi[i3]!, d2r = xr[i2]! - xr[i3]!, d2i = xi[i2]! - xi[i3]!;
        const o = q + s * 5 * p;
        yr[o] = a0r + b1r + b2r;
        yi[o] = a0i + b1i + b2i;
        // y1,4 = a0 + c1·b1 + c2·b2 ∓ i(s1·d1 + s2·d2); y2,3 = a0 + c2·b1 + c1·b2 ∓ i(s2·d1 − s1·d2)
        const pr = a0r + c1 * b1r + c2 * b2r, pi = a0i + c1 * b1i + c2 * b2i;
        const er = s1 * d1r + s2 * d2r, ei = s1 * d1i + s2 * d2i;
        const qr = a0r + c2 * b1r + c1 * b2r, qi = a0i + c2 * b1i + c1 * b2i;
        const fr = s2 * d1r - s1 * d2r, fi = s2 * d1i - s1 * d2i;
        twiddle(yr, yi, o + s, pr + ei, pi - er, twiddles[t + 2]!, twiddles[t + 3]!);
        twiddle(yr, yi, o + 2 * s, qr + fi, qi - fr, twiddles[t + 4]!, twiddles[t + 5]!);
        twiddle(yr, yi, o + 3 * s, qr - fi, qi + fr, twiddles[t + 6]!, twiddles[t + 7]!);
        twiddle(yr, yi, o + 4 * s, pr - ei, pi + er, twiddles[t + 8]!, twiddles[t + 9]!);
      }
    }
    return;
  }
  // Generic radix (3, 5, 7, ... ≤ BLUESTEIN_ABOVE): a small DFT per butterfly.
  const rootsRe = new Float64Array(radix), rootsIm = new Float64Array(radix);
  for (let k = 0; k < radix; k++) {
    rootsRe[k] = Math.cos((-2 * Math.PI * k) / radix);
    rootsIm[k] = Math.sin((-2 * Math.PI * k) / radix);
  }
  const ar = new Float64Array(radix), ai = new Float64Array(radix);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < s; q++) {
      for (let k = 0; k < radix; k++) {
        ar[k] = xr[q + s * (p + k * m)]!;
        ai[k] = xi[q + s * (p + k * m)]!;
      }
      for (let u = 0; u < radix; u++) {
        let sr = 0, si = 0;
        for (let k = 0, idx = 0; k < radix; k++, idx = (idx + u) % radix) {
          sr += ar[k]! * rootsRe[idx]! - ai[k]! * rootsIm[idx]!;
          si += ar[k]! * rootsIm[idx]! + ai[k]! * rootsRe[idx]!;
        }
        const wr = twiddles[2 * (p * radix + u)]!, wi = twiddles[2 * (p * radix + u) + 1]!;
        const o = q + s * (radix * p + u);
        yr[o] = sr * wr - si * wi;
        yi[o] = sr * wi + si * wr;
      }
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
