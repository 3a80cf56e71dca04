// Consistency-model sampling (Song et al. 2023, Algorithm 1) with the EDM parametrisation of
// Karras et al. 2022: the model is F_θ, the consistency function is
//   f(x, σ) = c_skip(σ)·x + c_out(σ)·F_θ(c_in(σ)·x, ln(σ)/4),
//   c_skip = σ_d²/(σ² + σ_d²),  c_out = (σ − σ_min)·σ_d/√(σ² + σ_d²),  c_in = 1/√(σ² + σ_d²),
// so f(x, σ_min) = x. One step maps x_T = σ_max·z to a sample; each further step re-noises the
// sample to the next σ of a Karras schedule and maps it again. Which σ's and which noise mean a
// model uses is its caller's data.

export interface EdmConfig {
  readonly sigmaData: number;
  readonly sigmaMin: number;
  readonly sigmaMax: number;
  /** Exponent of the Karras σ spacing. */
  readonly rho: number;
}

export interface EdmScalings {
  readonly cSkip: number;
  readonly cOut: number;
  readonly cIn: number;
  readonly cNoise: number;
}

export function consistencyScalings(sigma: number, config: EdmConfig): EdmScalings {
  const d2 = config.sigmaData ** 2;
  return {
    cSkip: d2 / (sigma ** 2 + d2),
    cOut: ((sigma - config.sigmaMin) * config.sigmaData) / Math.sqrt(sigma ** 2 + d2),
    cIn: 1 / Math.sqrt(d2 + sigma ** 2),
    cNoise: Math.log(sigma) / 4,
  };
}

/** n + 1 σ's of the Karras spacing, largest first: (σ_min^(1/ρ) + i/n·(σ_max^(1/ρ) − σ_min^(1/ρ)))^ρ reversed. */
export function karrasSigmas(n: number, config: EdmConfig): number[] {
  const lo = config.sigmaMin ** (1 / config.rho);
  const hi = config.sigmaMax ** (1 / config.rho);
  return Array.from({ length: n + 1 }, (_, i) => (lo + (i / n) * (hi - lo)) ** config.rho).reverse();
}

/**
 * The σ at which each of `steps` model calls runs: σ_max alone for one step, else the Karras
 * schedule of `steps` intervals without its last point (σ_min, where f is the identity).
 */
export function consistencySigmas(steps: number, config: EdmConfig): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`consistency steps must be a whole number ≥ 1, got ${steps}`);
  return steps === 1 ? [config.sigmaMax] : karrasSigmas(steps, config).slice(0, -1);
}

/** f(x, σ) from the model's raw output F on c_in·x. */
export function consistencyOutput(x: ArrayLike<number>, modelOutput: ArrayLike<number>, s: EdmScalings): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = s.cSkip * x[i]! + s.cOut * modelOutput[i]!;
  return out;
}

/** Re-noising between steps: x + √(σ² − σ_min²)·z. */
export function renoise(x: ArrayLike<number>, noise: ArrayLike<number>, sigma: number, config: EdmConfig): Float32Array {
  const scale = Math.sqrt(Math.max(0, sigma ** 2 - config.sigmaMin ** 2));
  return Float32Array.from({ length: x.length }, (_, i) => x[i]! + scale * noise[i]!);
}
