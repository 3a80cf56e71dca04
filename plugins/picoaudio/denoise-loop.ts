// PicoAudio's denoising loop in the UNet's worker (picoaudio/models/controllable_diffusion.py
// inference): the timestamp matrix and the event embedding stay fixed, the latent moves.
// The sampler is the reference's: DDPMScheduler (ancestral), so every step but the last
// draws fresh noise; the starting latent and those draws continue one stream from `seed`.
// With guidance > 1 the unconditional branch is the zero embedding, batched with the
// conditional one; at the reference's default (1) the UNet runs once per step.
import { makeDdpmScheduler } from '../../core/generation/ddpm.ts';
import { diffusersGuidance } from '../../core/generation/guidance.ts';
import type { NoiseScheduleConfig } from '../../core/generation/noise-schedule.ts';
import { gaussianStream, seededRandom } from '../../core/generation/rng.ts';
import { defineWorkerLoop, type LoopIO } from '../../core/onnx/worker-loop.ts';

export interface PicoDenoiseInput {
  readonly steps: number;
  readonly guidance: number;
  readonly seed: number;
  readonly dims: readonly number[];
  readonly schedule: NoiseScheduleConfig;
}

export async function picoDenoise(io: LoopIO, input: PicoDenoiseInput): Promise<Float32Array> {
  const noise = gaussianStream(seededRandom(input.seed));
  const size = input.dims.reduce((a, b) => a * b, 1);
  // 1. x_T ~ N(0, I) (prepare_latents), drawn first from the stream
  const start = noise(size);
  // diffusers 0.18.2 (PicoAudio's pin): "leading" spacing without steps_offset; SD 2.1's
  // config sets clip_sample false.
  const scheduler = makeDdpmScheduler(input.steps, { ...input.schedule, stepsOffset: 0 }, { spacing: 'leading', clipSample: null, noise });
  const guided = input.guidance > 1;
  const items = guided ? 2 : 1;
  let x: Float32Array = Float32Array.from(start, (z) => z * scheduler.initNoiseSigma);
  const total = scheduler.timesteps.length;
  for (const [i, t] of scheduler.timesteps.entries()) {
    io.throwIfCancelled();
    const sample = new Float32Array(items * x.length);
    for (let k = 0; k < items; k++) sample.set(x, k * x.length);
    const { prediction } = await io.run('unet', {
      sample: io.tensor('float32', sample, [items, ...input.dims.slice(1)]),
      timestep: io.tensor('int64', new BigInt64Array(items).fill(BigInt(t)), [items]),
      // slots put by the handler: [uncond; cond] rows when guided, the cond row alone otherwise
      timestamps: io.resident('timestamps'),
      event_embedding: io.resident('event'),
    });
    const out = prediction!.data as Float32Array;
    const model = guided ? diffusersGuidance(out.subarray(x.length), out.subarray(0, x.length), input.guidance) : out;
    x = scheduler.step(model, t, x);
    io.progress(i + 1, total, `step ${i + 1} of ${total}`);
  }
  return x;
}

export default defineWorkerLoop<PicoDenoiseInput, Float32Array>(picoDenoise);
