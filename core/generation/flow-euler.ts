// Euler integration of a flow-matching ODE, dx/dt = v(x, t), with the two time grids the
// hub's flow models use:
//   midpoint (flow-matching speech decoders): N steps from 0 to 1, v evaluated at t = (i + ½)/N, x += v/N;
//   sway (F5-style local DiTs): t = linspace(1, 0, N+1) bent by t += c·(cos(πt/2) − 1 + t),
//   x ← x − (tᵢ − tᵢ₊₁)·v(x, tᵢ); with CFG-Zero*, the first max(1, ⌊0.04·(N+1)⌋) steps use v = 0.

export interface FlowStep {
  /** Time at which the velocity is evaluated. */
  readonly t: number;
  /** Signed step: x ← x + dt·v. */
  readonly dt: number;
}

export function midpointSteps(n: number): FlowStep[] {
  return Array.from({ length: n }, (_, i) => ({ t: (i + 0.5) / n, dt: 1 / n }));
}

export function swaySteps(n: number, coefficient = 1): FlowStep[] {
  const times = Array.from({ length: n + 1 }, (_, i) => {
    const t = 1 - i / n;
    return t + coefficient * (Math.cos((Math.PI / 2) * t) - 1 + t);
  });
  return times.slice(0, -1).map((t, i) => ({ t, dt: times[i + 1]! - t }));
}

export interface FlowSolveOptions {
  /** Steps at the start that keep x unchanged (CFG-Zero*'s zero init). */
  readonly zeroInitSteps?: number;
  /** Asked before each step; throw to stop (a cancelled request). */
  readonly beforeStep?: (index: number, total: number) => void;
}

/** Integrates from x (not modified) along `steps`; `velocity` returns v(x, t) (guided already). */
export async function solveFlowEuler(
  x: ArrayLike<number>,
  steps: readonly FlowStep[],
  velocity: (x: Float32Array, t: number, index: number) => Promise<ArrayLike<number>> | ArrayLike<number>,
  options: FlowSolveOptions = {},
): Promise<Float32Array> {
  let current = Float32Array.from(x);
  for (let i = 0; i < steps.length; i++) {
    options.beforeStep?.(i, steps.length);
    if (i < (options.zeroInitSteps ?? 0)) continue;
    const { t, dt } = steps[i]!;
    const v = await velocity(current, t, i);
    if (v.length !== current.length) throw new RangeError(`flow step ${i}: velocity has ${v.length} values, the state ${current.length}`);
    const next = new Float32Array(current.length);
    for (let k = 0; k < next.length; k++) next[k] = current[k]! + dt * v[k]!;
    current = next;
  }
  return current;
}

/** CFG-Zero*'s zero-init step count for N steps. */
export const cfgZeroInitSteps = (n: number) => Math.max(1, Math.floor((n + 1) * 0.04));
