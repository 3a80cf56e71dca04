// diffusers' DDPMScheduler (schedulers/scheduling_ddpm.py), step for step: the ancestral
// sampler of Ho et al. 2020. Each step predicts x₀, takes the posterior mean of
// q(x_{t-1} | x_t, x₀) (eq. 7) and adds noise with the "fixed_small" variance β̃_t, drawn
// from a seeded source so a seed reproduces the whole trajectory.
import type { DiffusionScheduler } from './ddim.ts';
import { alphasCumprod, leadingTimesteps, type NoiseScheduleConfig } from './noise-schedule.ts';

export interface DdpmOptions {
  /** `timestep_spacing`; "leading" adds the config's stepsOffset (diffusers ≥ 0.19; 0.18 adds none). */
  readonly spacing: 'leading' | 'trailing';
  /** `clip_sample_range` when `clip_sample` is true, null when it is false. */
  readonly clipSample: number | null;
  /** n standard normal draws: the `variance_noise` of each step. */
  readonly noise: (n: number) => Float32Array;
}

/** `timestep_spacing="trailing"`: round(arange(T, 0, −T/n)) − 1, ending near 0 rather than at it. */
export function trailingTimesteps(config: NoiseScheduleConfig, steps: number): number[] {
  leadingTimesteps(config, steps); // the same range check
  const ratio = config.numTrainTimesteps / steps;
  return Array.from({ length: steps }, (_, i) => Math.round(config.numTrainTimesteps - i * ratio) - 1).reverse();
}

export function makeDdpmScheduler(steps: number, config: NoiseScheduleConfig, options: DdpmOptions): DiffusionScheduler {
  const alphas = alphasCumprod(config);
  // previous_timestep(): t − T // n for either spacing, and ᾱ = 1 ("self.one") before step 0.
  const jump = Math.floor(config.numTrainTimesteps / steps);
  const spaced = options.spacing === 'leading' ? leadingTimesteps(config, steps) : trailingTimesteps(config, steps);
  const clip = options.clipSample;
  return {
    timesteps: spaced.reverse(),
    initNoiseSigma: 1,
    step(modelOutput, t, sample) {
      const a = alphas[t]!;
      const aPrev = t - jump >= 0 ? alphas[t - jump]! : 1;
      const b = 1 - a;
      const bPrev = 1 - aPrev;
      const alphaT = a / aPrev;
      const betaT = 1 - alphaT;
      // μ̃_t = (√ᾱ_{t−1}·β_t / (1 − ᾱ_t))·x̂₀ + (√α_t·(1 − ᾱ_{t−1}) / (1 − ᾱ_t))·x_t
      const x0Coeff = (Math.sqrt(aPrev) * betaT) / b;
      const xCoeff = (Math.sqrt(alphaT) * bPrev) / b;
      // β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t)·β_t, clamped at 1e-20; no noise on the last step (t = 0)
      const sigma = t > 0 ? Math.sqrt(Math.max((bPrev / b) * betaT, 1e-20)) : 0;
      const z = t > 0 ? options.noise(sample.length) : null;
      const out = new Float32Array(sample.length);
      for (let i = 0; i < out.length; i++) {
        const x = sample[i]!;
        const m = modelOutput[i]!;
        let x0 = config.predictionType === 'epsilon' ? (x - Math.sqrt(b) * m) / Math.sqrt(a) : Math.sqrt(a) * x - Math.sqrt(b) * m;
        if (clip !== null) x0 = Math.min(clip, Math.max(-clip, x0));
        out[i] = x0Coeff * x0 + xCoeff * x + (z ? sigma * z[i]! : 0);
      }
      return out;
    },
  };
}
