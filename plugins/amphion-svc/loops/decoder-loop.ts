// The acoustic decoders' sampling loops, run inside the ONNX worker that holds the denoiser
// (GraphSession.loop): the mel stays there, per step only a progress tick crosses threads, and
// a cancelled request stops before the next step. The condition is put there before the loop.
//   diffusion (DiffWaveNetSVC, diffusion_inference_pipeline.py):
//     x_T ~ N(0, I); for t: ε = denoiser(x, t, c); x = PNDM.step(ε, t, x); x = clamp(x, −1, 1)
//   consistency (ComoSVC CT_sampler, comosvc.py), noise around the prior μ (= the condition):
//     x = σ₀·(z + μ); x = f(x, σ₀); for σ in the rest: x = f(x + √(σ² − σ_min²)·(z + μ), σ)
import { consistencyOutput, consistencyScalings, consistencySigmas, renoise, type EdmConfig } from '../../../core/generation/consistency.ts';
import { gaussianStream, seededRandom } from '../../../core/generation/rng.ts';
import type { NoiseScheduleConfig } from '../../../core/generation/noise-schedule.ts';
import { makePndmScheduler } from '../../../core/generation/pndm.ts';
import { defineWorkerLoop, type LoopIO } from '../../../core/onnx/worker-loop.ts';

export interface DecoderLoopInput {
  readonly kind: 'diffusion' | 'consistency';
  readonly steps: number;
  readonly seed: number;
  /** [1, frames, nMels] */
  readonly dims: readonly number[];
  readonly schedule?: NoiseScheduleConfig;
  readonly edm?: EdmConfig;
  /** The condition's values (consistency: μ, which the noise is centred on). */
  readonly mu?: Float32Array;
}

async function denoise(io: LoopIO, x: Float32Array, dims: readonly number[], step: number): Promise<Float32Array> {
  const { output } = await io.run('denoiser', {
    x: io.tensor('float32', x, dims),
    step: io.tensor('float32', Float32Array.of(step), [1]),
    condition: io.resident('condition'),
  });
  return output!.data as Float32Array;
}

async function diffusion(io: LoopIO, input: DecoderLoopInput, normal: (n: number) => Float32Array): Promise<Float32Array> {
  const scheduler = makePndmScheduler(input.steps, input.schedule!);
  const size = input.dims.reduce((a, b) => a * b, 1);
  let x: Float32Array = normal(size);
  const total = scheduler.timesteps.length;
  for (const [i, t] of scheduler.timesteps.entries()) {
    io.throwIfCancelled();
    const eps = await denoise(io, x, input.dims, t);
    x = scheduler.step(eps, t, x);
    for (let k = 0; k < x.length; k++) x[k] = Math.min(1, Math.max(-1, x[k]!));
    io.progress(i + 1, total, `step ${i + 1} of ${total}`);
  }
  return x;
}

async function consistency(io: LoopIO, input: DecoderLoopInput, normal: (n: number) => Float32Array): Promise<Float32Array> {
  const edm = input.edm!;
  const mu = input.mu!;
  const around = () => Float32Array.from(normal(mu.length), (z, i) => z + mu[i]!);
  const sigmas = consistencySigmas(input.steps, edm);
  let x: Float32Array = Float32Array.from(around(), (v) => v * sigmas[0]!);
  for (const [i, sigma] of sigmas.entries()) {
    io.throwIfCancelled();
    if (i > 0) x = renoise(x, around(), sigma, edm);
    const s = consistencyScalings(sigma, edm);
    const output = await denoise(io, Float32Array.from(x, (v) => v * s.cIn), input.dims, s.cNoise);
    x = consistencyOutput(x, output, s);
    io.progress(i + 1, sigmas.length, `step ${i + 1} of ${sigmas.length}`);
  }
  return x;
}

export async function decode(io: LoopIO, input: DecoderLoopInput): Promise<Float32Array> {
  const normal = gaussianStream(seededRandom(input.seed));
  return input.kind === 'diffusion' ? diffusion(io, input, normal) : consistency(io, input, normal);
}

export default defineWorkerLoop<DecoderLoopInput, Float32Array>(decode);
