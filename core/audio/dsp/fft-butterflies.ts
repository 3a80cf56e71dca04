// The butterflies of one Stockham stage of the mixed-radix FFT in fft.ts: radix 2, 3, 4,
// 5 and 8 written out, any other small radix as a direct DFT.

/** Prime factors above this go to Bluestein's algorithm instead of a direct DFT stage. */
export const BLUESTEIN_ABOVE = 61;

export interface Stage {
  readonly radix: number;
  /** Twiddles w_n^(p·u) for p < m, u < radix, interleaved re/im. */
  readonly twiddles: Float64Array;
  readonly span: number;
}

function twiddle(yr: Float64Array, yi: Float64Array, at: number, r: number, i: number, wr: number, wi: number): void {
  yr[at] = r * wr - i * wi;
  yi[at] = r * wi + i * wr;
}

/**
 * One decimation-in-frequency Stockham stage: for sub-length `span` = radix·m and stride s,
 * y[q + s(radix·p + u)] = w_span^(p·u) · Σ_k x[q + s(p + k·m)] · ω_radix^(u·k).
 */
export function butterflyStage(stage: Stage, s: number, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
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
  if (radix === 8) return radix8Stage(twiddles, m, s, xr, xi, yr, yi);
  if (radix === 4 && m === 1) return lastRadix4Stage(s, xr, xi, yr, yi);
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

/** The last radix-4 stage (m = 1): its twiddles are all 1, so it has none to multiply by. */
function lastRadix4Stage(s: number, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  for (let q = 0; q < s; q++) {
    const i1 = q + s, i2 = i1 + s, i3 = i2 + s;
    const a0r = xr[q]!, a0i = xi[q]!, a1r = xr[i1]!, a1i = xi[i1]!, a2r = xr[i2]!, a2i = xi[i2]!, a3r = xr[i3]!, a3i = xi[i3]!;
    const s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
    const s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
    yr[q] = s02r + s13r;
    yi[q] = s02i + s13i;
    yr[i1] = d02r + d13i;
    yi[i1] = d02i - d13r;
    yr[i2] = s02r - s13r;
    yi[i2] = s02i - s13i;
    yr[i3] = d02r - d13i;
    yi[i3] = d02i + d13r;
  }
}

const HALF_SQRT2 = Math.SQRT1_2;

/**
 * Radix-8 butterflies: an 8-point DFT as a radix-2 step (sums b_k and differences turned by
 * ω₈^k) followed by two 4-point DFTs, then the stage twiddles. A power-of-two FFT then
 * sweeps its data in ~log₈ n passes instead of log₄ n, and memory traffic, not arithmetic,
 * is what a JS FFT pays for.
 */
function radix8Stage(twiddles: Float64Array, m: number, s: number, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    const t = 16 * p;
    for (let q = 0, i0 = s * p, o = 8 * s * p; q < s; q++, i0++, o++) {
      const i1 = i0 + sm, i2 = i1 + sm, i3 = i2 + sm, i4 = i3 + sm, i5 = i4 + sm, i6 = i5 + sm, i7 = i6 + sm;
      const a0r = xr[i0]!, a0i = xi[i0]!, a4r = xr[i4]!, a4i = xi[i4]!;
      const a1r = xr[i1]!, a1i = xi[i1]!, a5r = xr[i5]!, a5i = xi[i5]!;
      const a2r = xr[i2]!, a2i = xi[i2]!, a6r = xr[i6]!, a6i = xi[i6]!;
      const a3r = xr[i3]!, a3i = xi[i3]!, a7r = xr[i7]!, a7i = xi[i7]!;
      // b_k = a_k + a_{k+4}; c_k = (a_k − a_{k+4})·ω₈^k, ω₈ = (1 − i)/√2.
      const b0r = a0r + a4r, b0i = a0i + a4i, b1r = a1r + a5r, b1i = a1i + a5i;
      const b2r = a2r + a6r, b2i = a2i + a6i, b3r = a3r + a7r, b3i = a3i + a7i;
      const c0r = a0r - a4r, c0i = a0i - a4i;
      const d1r = a1r - a5r, d1i = a1i - a5i;
      const c1r = HALF_SQRT2 * (d1r + d1i), c1i = HALF_SQRT2 * (d1i - d1r);
      const c2r = a2i - a6i, c2i = a6r - a2r;
      const d3r = a3r - a7r, d3i = a3i - a7i;
      const c3r = HALF_SQRT2 * (d3i - d3r), c3i = -HALF_SQRT2 * (d3r + d3i);
      // 4-point DFTs (ω₄ = −i): of b → outputs 0, 2, 4, 6; of c → 1, 3, 5, 7.
      let s02r = b0r + b2r, s02i = b0i + b2i, d02r = b0r - b2r, d02i = b0i - b2i;
      let s13r = b1r + b3r, s13i = b1i + b3i, d13r = b1r - b3r, d13i = b1i - b3i;
      yr[o] = s02r + s13r;
      yi[o] = s02i + s13i;
      twiddle(yr, yi, o + 2 * s, d02r + d13i, d02i - d13r, twiddles[t + 4]!, twiddles[t + 5]!);
      twiddle(yr, yi, o + 4 * s, s02r - s13r, s02i - s13i, twiddles[t + 8]!, twiddles[t + 9]!);
      twiddle(yr, yi, o + 6 * s, d02r - d13i, d02i + d13r, twiddles[t + 12]!, twiddles[t + 13]!);
      (s02r = c0r + c2r), (s02i = c0i + c2i), (d02r = c0r - c2r), (d02i = c0i - c2i);
      (s13r = c1r + c3r), (s13i = c1i + c3i), (d13r = c1r - c3r), (d13i = c1i - c3i);
      twiddle(yr, yi, o + s, s02r + s13r, s02i + s13i, twiddles[t + 2]!, twiddles[t + 3]!);
      twiddle(yr, yi, o + 3 * s, d02r + d13i, d02i - d13r, twiddles[t + 6]!, twiddles[t + 7]!);
      twiddle(yr, yi, o + 5 * s, s02r - s13r, s02i - s13i, twiddles[t + 10]!, twiddles[t + 11]!);
      twiddle(yr, yi, o + 7 * s, d02r - d13i, d02i + d13r, twiddles[t + 14]!, twiddles[t + 15]!);
    }
  }
}
