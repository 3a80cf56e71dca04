// The probability-flow ODE of a variance-preserving SDE with a linear noise rate (Song et al.
// 2021, §4.3; with a stationary variance σ² as in score-based TTS decoders), integrated from
// t = 1 down to 0 by Euler steps at the midpoint of each interval, for a network that
// predicts x̂₀ (the clean sample) rather than the noise or the score:
//   β(t) = β_min + (β_max − β_min)·t,   B(t) = ∫₀ᵗ β = β_min·t + ½(β_max − β_min)·t²
//   mean = x̂₀·exp(−½B/σ²),   var = σ²·(1 − exp(−B/σ²))
//   score = −(x_t − mean)/(var + 1e-8)
//   dx = −½·h·β(t)·(score + x_t/σ²),   x ← x − dx,   h = 1/N,  t_i = 1 − (i + ½)·h
// scripts/reference/vp-ode-fixtures.py computes the same steps in torch.

export interface VpSdeSchedule {
  readonly betaMin: number;
  readonly betaMax: number;
  /** Stationary standard deviation of the forward process. */
  readonly sigma: number;
}

export interface VpOdeStep {
  /** Time at which x̂₀ is predicted. */
  readonly t: number;
  /** Step length in t. */
  readonly h: number;
}

/** N Euler steps from t = 1 to 0, each evaluated at the midpoint of its interval. */
export function vpOdeSteps(n: number): VpOdeStep[] {
  const h = 1 / Math.max(n, 1);
  return Array.from({ length: n }, (_, i) => ({ t: 1 - (i + 0.5) * h, h }));
}

/** B(t) = ∫₀ᵗ β(s) ds. */
export function cumulativeBeta(schedule: VpSdeSchedule, t: number): number {
  return schedule.betaMin * t + 0.5 * (schedule.betaMax - schedule.betaMin) * t * t;
}

/** One Euler step of the probability-flow ODE given the network's x̂₀ at (x, t); x is not modified. */
export function vpOdeEulerStep(schedule: VpSdeSchedule, x: ArrayLike<number>, x0: ArrayLike<number>, step: VpOdeStep): Float32Array {
  if (x0.length !== x.length) throw new RangeError(`vp-ode step: x̂₀ has ${x0.length} values, the state ${x.length}`);
  const { t, h } = step;
  const s2 = schedule.sigma * schedule.sigma;
  const B = cumulativeBeta(schedule, t);
  const beta = schedule.betaMin + (schedule.betaMax - schedule.betaMin) * t;
  const decay = Math.exp((-0.5 * B) / s2);
  const variance = s2 * (1 - Math.exp(-B / s2)) + 1e-8;
  const out = new Float32Array(x.length);
  for (let k = 0; k < out.length; k++) {
    const xt = x[k]!;
    const score = -(xt - x0[k]! * decay) / variance;
    out[k] = xt + 0.5 * h * beta * (score + xt / s2);
  }
  return out;
}
