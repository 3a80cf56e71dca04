// The flow-matching sampler of `FlowMatchingTransformer.reverse_diffusion`, run inside the ONNX
// worker that holds fm_estimator (GraphSession.loop): the frame conditions and the prompt mel
// were put there once, the latent never leaves until the last step.
//   for i in range(N): t = (i + 0.5)/N
//     v_c = est([prompt ; x_t], t, cond)[prompt_len:]        conditional, full cond
//     v_u = est(x_t, t, zeros(cond)[:, :target])              unconditional, no prompt
//     v = rescale·g·std(v_c)/std(g) + (1 − rescale)·g,  g = v_c + cfg·(v_c − v_u)
//     x_t += v / N
import { rescaledGuidance } from '../../core/generation/guidance.ts';
import { midpointSteps, solveFlowEuler } from '../../core/generation/flow-euler.ts';
import { defineWorkerLoop } from '../../core/onnx/worker-loop.ts';

export interface FlowLoopInput {
  /** z ~ N(0, I), [target × bins], frame-major. */
  readonly noise: Float32Array;
  readonly promptFrames: number;
  readonly targetFrames: number;
  readonly bins: number;
  readonly hidden: number;
  readonly steps: number;
  readonly cfg: number;
  readonly rescale: number;
}

/** Resident slots the caller fills before the loop: the prompt mel [1, P, bins] and cond [1, P+T, hidden]. */
export const FLOW_SLOTS = { prompt: 'prompt_mel', cond: 'cond' } as const;

export default defineWorkerLoop(async (io, input: FlowLoopInput) => {
  const { promptFrames, targetFrames, bins, hidden } = input;
  const prompt = io.resident(FLOW_SLOTS.prompt).data as Float32Array;
  const cond = io.resident(FLOW_SLOTS.cond);
  const zeros = io.tensor('float32', new Float32Array(targetFrames * hidden), [1, targetFrames, hidden]);
  const joined = new Float32Array((promptFrames + targetFrames) * bins);
  joined.set(prompt.subarray(0, promptFrames * bins));
  const mel = await solveFlowEuler(
    input.noise,
    midpointSteps(input.steps),
    async (x, t) => {
      const time = io.tensor('float32', Float32Array.of(t), [1]);
      joined.set(x, promptFrames * bins);
      // fm_estimator: cat([prompt, x_t]) with the full cond → keep the target part
      const full = (await io.run('fm_estimator', { x: io.tensor('float32', joined, [1, promptFrames + targetFrames, bins]), t: time, cond }, ['velocity'])).velocity!;
      const vc = (full.data as Float32Array).subarray(promptFrames * bins);
      if (input.cfg <= 0) return vc;
      // fm_estimator: x_t alone with zero cond
      const vu = (await io.run('fm_estimator', { x: io.tensor('float32', x, [1, targetFrames, bins]), t: time, cond: zeros }, ['velocity'])).velocity!.data as Float32Array;
      return rescaledGuidance(vc, vu, input.cfg, input.rescale);
    },
    {
      beforeStep: (i, n) => {
        io.throwIfCancelled();
        if (i > 0) io.progress(i, n);
      },
    },
  );
  io.progress(input.steps, input.steps);
  return mel;
});
