// Noro's sampler (`Diffusion.reverse_diffusion`, ode_solve_method "euler"), run inside the ONNX
// worker that holds the estimator (GraphSession.loop): the condition and the speaker queries
// were kept there by the graphs that made them; the state never leaves until the last step.
//   for i in range(N): t = 1 − (i + ½)/N
//     x̂₀ = estimator(x_t, condition, speaker, t)            (x_mask=None)
//     x_t ← x_t − dx(x̂₀, x_t, t)                             core/generation/vp-ode.ts
import { vpOdeEulerStep, vpOdeSteps, type VpSdeSchedule } from '../../../core/generation/vp-ode.ts';
import { defineWorkerLoop, type LoopIO } from '../../../core/onnx/worker-loop.ts';

export interface DiffusionInput {
  /** x_T = z / noise divisor, [frames × bins] frame-major. */
  readonly start: Float32Array;
  readonly frames: number;
  readonly bins: number;
  readonly steps: number;
  readonly schedule: VpSdeSchedule;
}

/** Resident slots the caller fills before the loop: condition [1, frames, 512] and speaker [1, 32, 512]. */
export const DIFFUSION_SLOTS = { condition: 'condition', speaker: 'speaker' } as const;

export async function reverseDiffusion(io: LoopIO, input: DiffusionInput): Promise<Float32Array> {
  const condition = io.resident(DIFFUSION_SLOTS.condition);
  const speaker = io.resident(DIFFUSION_SLOTS.speaker);
  const steps = vpOdeSteps(input.steps);
  let x = input.start;
  for (const [i, step] of steps.entries()) {
    io.throwIfCancelled();
    // estimator: x̂₀(x_t, t | condition, speaker)
    const { x0 } = await io.run(
      'estimator',
      { x: io.tensor('float32', x, [1, input.frames, input.bins]), condition, speaker, t: io.tensor('float32', Float32Array.of(step.t), [1]) },
      ['x0'],
    );
    x = vpOdeEulerStep(input.schedule, x, x0!.data as Float32Array, step);
    io.progress(i + 1, steps.length, `step ${i + 1} of ${steps.length}`);
  }
  return x;
}

export default defineWorkerLoop<DiffusionInput, Float32Array>(reverseDiffusion);
