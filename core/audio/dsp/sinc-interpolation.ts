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
  // cos(aa) advances by a rotation (cos/sin of daa) instead of a call per tap, as Praat does.
  let step = Math.PI / (x - left + 1);
  let cosAa = Math.cos(a * step / Math.PI), sinAa = Math.sin(a * step / Math.PI);
  let cosStep = Math.cos(step), sinStep = Math.sin(step);
  for (let ix = midleft; ix >= left; ix--) {
    result += (y[ix]! * halfSinA * (1 + cosAa)) / a;
    a += Math.PI;
    const c = cosAa * cosStep - sinAa * sinStep;
    sinAa = cosAa * sinStep + sinAa * cosStep;
    cosAa = c;
    halfSinA = -halfSinA;
  }
  a = Math.PI * (midright - x);
  halfSinA = 0.5 * Math.sin(a);
  step = Math.PI / (right - x + 1);
  cosAa = Math.cos(a * step / Math.PI);
  sinAa = Math.sin(a * step / Math.PI);
  cosStep = Math.cos(step);
  sinStep = Math.sin(step);
  for (let ix = midright; ix <= right; ix++) {
    result += (y[ix]! * halfSinA * (1 + cosAa)) / a;
    a += Math.PI;
    const c = cosAa * cosStep - sinAa * sinStep;
    sinAa = cosAa * sinStep + sinAa * cosStep;
    cosAa = c;
    halfSinA = -halfSinA;
  }
  return result;
}

const GOLDEN = (3 - Math.sqrt(5)) / 2;
const SQRT_EPSILON = Math.sqrt(Number.EPSILON);

/**
 * The maximum of the interpolated curve within one sample of the local peak at `peak`:
 * Brent's minimisation of the negated curve on [peak − 1, peak + 1] to 1e-10, as Praat's
 * NUMimproveMaximum (dwsys/NUM2.cpp NUMminimize_brent).
 */
export function refineMaximum(y: ArrayLike<number>, peak: number, depth: number): { x: number; value: number } {
  const f = (x: number) => -interpolateSinc(y, x, depth);
  let a = peak - 1, b = peak + 1;
  const tol = 1e-10;
  let v = a + GOLDEN * (b - a), fv = f(v);
  let x = v, w = v, fx = fv, fw = fv;
  for (let iter = 0; iter < 60; iter++) {
    const middle = (a + b) / 2, tolAct = SQRT_EPSILON * Math.abs(x) + tol / 3;
    if (Math.abs(x - middle) + (b - a) / 2 <= 2 * tolAct) break;
    let step = GOLDEN * (x < middle ? b - x : a - x);
    if (Math.abs(x - w) >= tolAct) {
      // Parabola through x, w, v: accept its vertex if it falls well inside [a, b] and the step shrinks.
      const t = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * t;
      q = 2 * (q - t);
      if (q > 0) p = -p;
      else q = -q;
      if (Math.abs(p) < Math.abs(step * q) && p > q * (a - x + 2 * tolAct) && p < q * (b - x - 2 * tolAct)) step = p / q;
    }
    if (Math.abs(step) < tolAct) step = step > 0 ? tolAct : -tolAct;
    const t = x + step, ft = f(t);
    if (ft <= fx) {
      if (t < x) b = x;
      else a = x;
      (v = w), (w = x), (x = t), (fv = fw), (fw = fx), (fx = ft);
    } else {
      if (t < x) a = t;
      else b = t;
      if (ft <= fw || w === x) (v = w), (w = t), (fv = fw), (fw = ft);
      else if (ft <= fv || v === x || v === w) (v = t), (fv = ft);
    }
  }
  return { x, value: -fx };
}
