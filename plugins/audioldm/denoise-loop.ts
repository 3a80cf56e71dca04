// AudioLDM's denoising loop, run inside the ONNX worker that holds the UNet (GraphSession.loop):
// the latent stays here; per step only a progress tick crosses threads. diffusers
// pipeline_audioldm.py, step for step: DDIM (eta 0) with classifier-free guidance
//   ε = ε_u + s·(ε_c − ε_u),  x_{t−1} = DDIM(ε, t, x_t).
// The two guidance branches go through the UNet either as one batch of 2 (the default: see
// `npm run bench -- audioldm`) or as two runs of 1.
import { makeDdimScheduler } from '../../core/generation/ddim.ts';
import { diffusersGuidance } from '../../core/generation/guidance.ts';
import type { NoiseScheduleConfig } from '../../core/generation/noise-schedule.ts';
import { AUDIOLDM_SCHEDULE } from '../mel-latent/schedule.ts';
import { defineWorkerLoop, type LoopIO } from '../../core/onnx/worker-loop.ts';

export interface DenoiseInput {
  readonly steps: number;
  readonly guidance: number;
  /** x_T ~ N(0, I), [1, 8, frames/4, 16] flattened. */
  readonly noise: Float32Array;
  readonly dims: readonly number[];
  /** Cond and uncond in one UNet run of batch 2 (slot `both`: [uncond; cond]), or two runs (slots `uncond`, `cond`). */
  readonly batched: boolean;
  readonly schedule?: NoiseScheduleConfig;
}

/** ε_uncond and ε_cond at timestep t for the latent x. */
async function predictNoise(io: LoopIO, input: DenoiseInput, x: Float32Array, t: number): Promise<[Float32Array, Float32Array]> {
  const { dims } = input;
  if (input.batched) {
    // latent_model_input = torch.cat([latents] * 2); noise_pred.chunk(2)
    const pair = new Float32Array(2 * x.length);
    pair.set(x, 0);
    pair.set(x, x.length);
    const { noise } = await io.run('unet', {
      sample: io.tensor('float32', pair, [2, ...dims.slice(1)]),
      timestep: io.tensor('int64', BigInt64Array.of(BigInt(t), BigInt(t)), [2]),
      class_labels: io.resident('both'),
    });
    const out = noise!.data as Float32Array;
    return [out.subarray(0, x.length), out.subarray(x.length)];
  }
  const once = async (slot: string) =>
    (await io.run('unet', { sample: io.tensor('float32', x, dims), timestep: io.tensor('int64', BigInt64Array.of(BigInt(t)), [1]), class_labels: io.resident(slot) }))
      .noise!.data as Float32Array;
  const uncond = await once('uncond');
  return [uncond, await once('cond')];
}

export async function denoise(io: LoopIO, input: DenoiseInput): Promise<Float32Array> {
  const scheduler = makeDdimScheduler(input.steps, input.schedule ?? AUDIOLDM_SCHEDULE);
  let x: Float32Array = Float32Array.from(input.noise, (z) => z * scheduler.initNoiseSigma);
  const total = scheduler.timesteps.length;
  for (const [i, t] of scheduler.timesteps.entries()) {
    io.throwIfCancelled();
    const [uncond, cond] = await predictNoise(io, input, x, t);
    x = scheduler.step(diffusersGuidance(cond, uncond, input.guidance), t, x);
    io.progress(i + 1, total, `step ${i + 1} of ${total}`);
  }
  return x;
}

export default defineWorkerLoop<DenoiseInput, Float32Array>(denoise);
