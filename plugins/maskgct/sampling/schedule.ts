// The mask schedule of MaskGCT's mask-predict loops (maskgct_t2s.py / maskgct_s2a.py
// `mask_prob`, `reverse_diffusion`): time runs from t = 1 (all masked) to t = 0 in equal
// steps, and the share of tokens still masked at time t is sin(t·π/2). Written with the
// progress r = 1 - t this is MaskGIT's cosine schedule cos(r·π/2); both names are the same curve.

/** `t_list` of the original: [1, 1 - 1/n, …, 1/n, 0] (n + 1 entries), in double precision as Python computes it. */
export function timeGrid(steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  const h = 1 / steps;
  const grid = Array.from({ length: steps }, (_, i) => 1 - i * h);
  grid.push(0);
  return grid;
}

const f32 = Math.fround;

/**
 * sin(t·π/2), computed in float32 as the original's tensors do. The masked count is a
 * truncation of ratio × length, so precision decides it at exact boundaries: for t = 1/3
 * and 10 tokens float32 gives sin(π/6)·10 = 5, double precision 4.999… → 4.
 */
export function sineMaskRatio(t: number): number {
  return f32(Math.sin(f32(f32(f32(t) * f32(Math.PI)) / 2)));
}

/** MaskGIT's cosine schedule over progress r ∈ [0, 1]: the same curve as sineMaskRatio(1 - r). */
export function cosineMaskRatio(progress: number): number {
  return f32(Math.cos(f32(f32(f32(progress) * f32(Math.PI)) / 2)));
}

/** How many of `length` tokens stay masked at time t: `(mask_prob(t) * seq_len).long()`. */
export function maskedCount(t: number, length: number): number {
  return Math.trunc(f32(sineMaskRatio(t) * length));
}

/** Sampling temperature at step i: the start temperature annealed linearly with t. */
export function annealedTemperature(start: number, t: number): number {
  return start * t;
}
