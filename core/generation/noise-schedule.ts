// The DDPM noise schedule diffusers' DDIM and PNDM schedulers share: betas over the training
// timesteps and their cumulative alpha products, in float32 as diffusers keeps them, and
// the "leading" spacing of inference timesteps. Which schedule a model trained on is its
// plugin's data (a checkpoint's scheduler_config.json); core only computes with it.

export interface NoiseScheduleConfig {
  readonly numTrainTimesteps: number;
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly betaSchedule: 'linear' | 'scaled_linear';
  /** alpha_cumprod "before" step 0: 1 (true), or alphas_cumprod[0] (false). */
  readonly setAlphaToOne: boolean;
  readonly stepsOffset: number;
  readonly predictionType: 'epsilon' | 'v_prediction';
}

/** The latent-diffusion training schedule: 1000 scaled-linear betas from 0.00085 to 0.012, offset 1, epsilon. */
export const SCALED_LINEAR_SCHEDULE: NoiseScheduleConfig = {
  numTrainTimesteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  betaSchedule: 'scaled_linear',
  setAlphaToOne: false,
  stepsOffset: 1,
  predictionType: 'epsilon',
};

const f32 = Math.fround;

/** torch.linspace(start, end, n) in float32. */
function linspace32(start: number, end: number, n: number): Float32Array {
  const out = new Float32Array(n);
  const step = (end - start) / (n - 1);
  // torch fills the first half from the start and the second half from the end.
  for (let i = 0; i < n; i++) out[i] = i < n / 2 ? start + step * i : end - step * (n - 1 - i);
  return out;
}

export function alphasCumprod(config: NoiseScheduleConfig): Float32Array {
  const n = config.numTrainTimesteps;
  const betas =
    config.betaSchedule === 'linear'
      ? linspace32(config.betaStart, config.betaEnd, n)
      : linspace32(Math.sqrt(config.betaStart), Math.sqrt(config.betaEnd), n).map((b) => f32(b * b));
  const out = new Float32Array(n);
  let product = 1;
  for (let i = 0; i < n; i++) out[i] = product = f32(product * f32(1 - betas[i]!));
  return out;
}

/** `timestep_spacing="leading"`: every (train/steps)-th timestep from 0, plus the offset. */
export function leadingTimesteps(config: NoiseScheduleConfig, steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > config.numTrainTimesteps) throw new RangeError(`inference steps must be 1..${config.numTrainTimesteps}, got ${steps}`);
  const ratio = Math.floor(config.numTrainTimesteps / steps);
  return Array.from({ length: steps }, (_, i) => i * ratio + config.stepsOffset);
}
