// Band-limited interpolation of a sampled curve and the search for its maximum, as Praat
// does when it refines autocorrelation peaks (melder/NUMinterpol.cpp NUM_interpolate_sinc):
// a sinc whose Hann-like taper reaches to the last sample used on each side, so the curve
// passes through the samples and is smooth between them.

/** y at fractional 0-based index x, using up to `depth` samples on each side. */
export function interpolateSinc(y: ArrayLike<number>, x: number, depth: number): number {
  const n = y.length;
  if (x <= 0) return y[0]!;
  if (x >= n - 1) return y[n - 1]!;
  const midleft = Math.floor(x), midright = midleft + 1;
  if (x === midleft) return y[midleft]!;
  // Praat's limits, in its 1-based terms: depth ≤ midright − 1 and ≤ size − midleft.
  depth = Math.min(depth, midright, n - midleft - 1);
  if (depth < 3) return y[midleft]! + (x - midleft) * (y[midright]! - y[midleft]!);
  const left = midright - depth, right = midleft + depth;
  let result = 0;
  let a = Math.PI * (x - midleft);
  let halfSinA = 0.5 * Math.sin(a);
  let aa = a / (x - left + 1), daa = Math.PI / (x - left + 1);
  for (let ix = midleft; ix >= left; ix--) {
    result += (y[ix]! * halfSinA * (1 + Math.cos(aa))) / a;
    a += Math.PI;
    aa += daa;
    halfSinA = -halfSinA;
  }
  a = Math.PI * (midright - x);
  halfSinA = 0.5 * Math.sin(a);
  aa = a / (right - x + 1);
  daa = Math.PI / (right - x + 1);
  for (let ix = midright; ix <= right; ix++) {
    result += (y[ix]! * halfSinA * (1 + Math.cos(aa))) / a;
    a += Math.PI;
    aa += daa;
    halfSinA = -halfSinA;
  }
  return result;
}

const GOLDEN = (3 - Math.sqrt(5)) / 2;

/**
 * The maximum of the interpolated curve within one sample of the local peak at `peak`
 * (Praat's NUMimproveMaximum minimises the negated curve by Brent's method on the same
 * bracket; golden-section search finds the same unimodal maximum).
 */
export function refineMaximum(y: ArrayLike<number>, peak: number, depth: number): { x: number; value: number } {
  let lo = peak - 1, hi = peak + 1;
  const f = (x: number) => interpolateSinc(y, x, depth);
  let x1 = lo + GOLDEN * (hi - lo), x2 = hi - GOLDEN * (hi - lo);
  let f1 = f(x1), f2 = f(x2);
  while (hi - lo > 1e-7) {
    if (f1 < f2) {
      lo = x1;
      (x1 = x2), (f1 = f2);
      x2 = hi - GOLDEN * (hi - lo);
      f2 = f(x2);
    } else {
      hi = x2;
      (x2 = x1), (f2 = f1);
      x1 = lo + GOLDEN * (hi - lo);
      f1 = f(x1);
    }
  }
  const x = 0.5 * (lo + hi);
  const atPeak = y[peak]!, atX = f(x);
  return atX >= atPeak ? { x, value: atX } : { x: peak, value: atPeak };
}
