// diffusers' DDIMScheduler (eta = 0, no clipping, no thresholding), step for step:
// timesteps descend; each step predicts x₀ from the model output and moves to the previous
// timestep along the deterministic DDIM path (Song et al. 2021, eq. 12).
import { alphasCumprod, leadingTimesteps, type NoiseScheduleConfig } from './noise-schedule.ts';

export interface DiffusionScheduler {
  /** The model is called once per timestep, in this order. */
  readonly timesteps: readonly number[];
  /** The starting noise is scaled by this (1 for DDIM and PNDM). */
  readonly initNoiseSigma: number;
  /** One denoising step: the sample at the next (lower) timestep. */
  step(modelOutput: ArrayLike<number>, timestep: number, sample: ArrayLike<number>): Float32Array;
}

export function makeDdimScheduler(steps: number, config: NoiseScheduleConfig): DiffusionScheduler {
  const alphas = alphasCumprod(config);
  const finalAlpha = config.setAlphaToOne ? 1 : alphas[0]!;
  const ratio = Math.floor(config.numTrainTimesteps / steps);
  return {
    timesteps: leadingTimesteps(config, steps).reverse(),
    initNoiseSigma: 1,
    step(modelOutput, timestep, sample) {
      const previous = timestep - ratio;
      const a = alphas[timestep]!;
      const aPrev = previous >= 0 ? alphas[previous]! : finalAlpha;
      const b = 1 - a;
      const out = new Float32Array(sample.length);
      for (let i = 0; i < out.length; i++) {
        const x = sample[i]!;
        const m = modelOutput[i]!;
        // pred_original_sample and pred_epsilon
        const x0 = config.predictionType === 'epsilon' ? (x - Math.sqrt(b) * m) / Math.sqrt(a) : Math.sqrt(a) * x - Math.sqrt(b) * m;
        const eps = config.predictionType === 'epsilon' ? m : Math.sqrt(a) * m + Math.sqrt(b) * x;
        // x_{t-1} = √ᾱ_{t-1}·x₀ + √(1 − ᾱ_{t-1})·ε
        out[i] = Math.sqrt(aPrev) * x0 + Math.sqrt(1 - aPrev) * eps;
      }
      return out;
    },
  };
}
