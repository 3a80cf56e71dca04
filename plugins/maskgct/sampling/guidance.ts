// Classifier-free guidance with rescale, on the network's hidden states before the logit
// head, exactly where maskgct_t2s.py / maskgct_s2a.py `reverse_diffusion` apply it:
//   g     = g_c + scale · (g_c − g_u)
//   g_out = rescale · g · std(g_c)/std(g) + (1 − rescale) · g
// std is torch's `Tensor.std()`: over the whole tensor, with Bessel's correction (n − 1).

/** Sample standard deviation over every element (n − 1 in the denominator). */
export function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
  return Math.sqrt(squares / (n - 1));
}

export function classifierFreeGuidance(cond: Float32Array, uncond: Float32Array, scale: number, rescale: number): Float32Array {
  if (cond.length !== uncond.length) throw new RangeError(`guidance: conditional (${cond.length}) and unconditional (${uncond.length}) hidden states differ in size`);
  const guided = new Float32Array(cond.length);
  for (let i = 0; i < cond.length; i++) guided[i] = cond[i]! + scale * (cond[i]! - uncond[i]!);
  if (rescale === 0) return guided;
  const guidedStd = standardDeviation(guided);
  // A constant tensor has std 0; torch would divide by zero and return NaN. Keep g instead.
  if (guidedStd === 0) return guided;
  const ratio = standardDeviation(cond) / guidedStd;
  for (let i = 0; i < guided.length; i++) guided[i] = rescale * guided[i]! * ratio + (1 - rescale) * guided[i]!;
  return guided;
}
