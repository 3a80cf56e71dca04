// Classifier-free guidance in the three forms the hub's diffusion and flow models use:
//   diffusers pipelines:         out = u + s·(c − u)
//   std-rescaled:                g = c + s·(c − u);  out = r·g·std(c)/std(g) + (1 − r)·g
//   CFG-Zero*:                   s* = ⟨c,u⟩/‖u‖²;    out = u·s* + s·(c − u·s*)
// std is torch's Tensor.std(): over the whole tensor, with Bessel's correction (n − 1).

function sameSize(cond: ArrayLike<number>, uncond: ArrayLike<number>) {
  if (cond.length !== uncond.length) throw new RangeError(`guidance: conditional (${cond.length}) and unconditional (${uncond.length}) outputs differ in size`);
}

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

/** diffusers' `noise_pred_uncond + guidance_scale * (noise_pred_text - noise_pred_uncond)`. */
export function diffusersGuidance(cond: ArrayLike<number>, uncond: ArrayLike<number>, scale: number): Float32Array {
  sameSize(cond, uncond);
  const out = new Float32Array(cond.length);
  for (let i = 0; i < out.length; i++) out[i] = uncond[i]! + scale * (cond[i]! - uncond[i]!);
  return out;
}

/** Guidance with std rescale (rescale 0: plain c + s·(c − u)). */
export function rescaledGuidance(cond: ArrayLike<number>, uncond: ArrayLike<number>, scale: number, rescale: number): Float32Array {
  sameSize(cond, uncond);
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

/** CFG-Zero* (Fan et al. 2025): the unconditional branch scaled by its projection on the conditional one. */
export function cfgZeroStar(cond: ArrayLike<number>, uncond: ArrayLike<number>, scale: number): Float32Array {
  sameSize(cond, uncond);
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < cond.length; i++) {
    dot += cond[i]! * uncond[i]!;
    norm += uncond[i]! * uncond[i]!;
  }
  // 1e-8 on the squared norm, as the reference implementation adds.
  const star = dot / (norm + 1e-8);
  const out = new Float32Array(cond.length);
  for (let i = 0; i < out.length; i++) out[i] = uncond[i]! * star + scale * (cond[i]! - uncond[i]! * star);
  return out;
}
