// diffusers' PNDMScheduler with skip_prk_steps (how latent-diffusion pipelines run it):
// pseudo linear multistep (PLMS, Liu et al. 2022) over the model outputs of the last four
// steps. The first step is taken twice: once from x_T, then again with the mean of both
// outputs (the `counter == 1` branch), so there is one more model call than steps.
import type { DiffusionScheduler } from './ddim.ts';
import { alphasCumprod, leadingTimesteps, type NoiseScheduleConfig } from './noise-schedule.ts';

export function makePndmScheduler(steps: number, config: NoiseScheduleConfig): DiffusionScheduler {
  const alphas = alphasCumprod(config);
  const finalAlpha = config.setAlphaToOne ? 1 : alphas[0]!;
  const ratio = Math.floor(config.numTrainTimesteps / steps);
  const leading = leadingTimesteps(config, steps);
  // plms_timesteps = concat([t[:-1], t[-2:-1], t[-1:]])[::-1]
  const timesteps = [...leading.slice(0, -1), leading.at(-2) ?? leading[0]!, leading.at(-1)!].reverse();
  if (steps === 1) timesteps.splice(0, timesteps.length, leading[0]!);
  const ets: ArrayLike<number>[] = [];
  let counter = 0;
  let curSample: ArrayLike<number> | undefined;

  const previousSample = (sample: ArrayLike<number>, timestep: number, previous: number, output: ArrayLike<number>): Float32Array => {
    const a = alphas[timestep]!;
    const aPrev = previous >= 0 ? alphas[previous]! : finalAlpha;
    const b = 1 - a;
    const bPrev = 1 - aPrev;
    const sampleCoeff = Math.sqrt(aPrev / a);
    const denominator = a * Math.sqrt(bPrev) + Math.sqrt(a * b * aPrev);
    const out = new Float32Array(sample.length);
    for (let i = 0; i < out.length; i++) {
      const eps = config.predictionType === 'v_prediction' ? Math.sqrt(a) * output[i]! + Math.sqrt(b) * sample[i]! : output[i]!;
      out[i] = sampleCoeff * sample[i]! - ((aPrev - a) * eps) / denominator;
    }
    return out;
  };

  const combine = (weights: readonly number[], divisor: number): Float32Array => {
    const out = new Float32Array(ets[0]!.length);
    const recent = ets.slice(-weights.length).reverse();
    for (let i = 0; i < out.length; i++) {
      let sum = 0;
      weights.forEach((w, k) => (sum += w * recent[k]![i]!));
      out[i] = sum / divisor;
    }
    return out;
  };

  return {
    timesteps,
    initNoiseSigma: 1,
    step(modelOutput, timestep, sample) {
      let previous = timestep - ratio;
      if (counter !== 1) {
        ets.splice(0, Math.max(0, ets.length - 3));
        ets.push(Float32Array.from(modelOutput));
      } else {
        previous = timestep;
        timestep = timestep + ratio;
      }
      let output: ArrayLike<number>;
      if (ets.length === 1 && counter === 0) {
        output = modelOutput;
        curSample = sample;
      } else if (ets.length === 1 && counter === 1) {
        output = Float32Array.from(modelOutput, (m, i) => (m + ets[0]![i]!) / 2);
        sample = curSample!;
        curSample = undefined;
      } else if (ets.length === 2) output = combine([3, -1], 2);
      else if (ets.length === 3) output = combine([23, -16, 5], 12);
      else output = combine([55, -59, 37, -9], 24);
      counter++;
      return previousSample(sample, timestep, previous, output);
    },
  };
}
