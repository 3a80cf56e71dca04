// Main-thread side of the FM stage: embed the condition tokens (fm_cond, kept in the worker),
// put the prompt mel beside it, draw the noise from the request's seed, and run flow-loop.ts
// next to fm_estimator. Returns the target mel only, as reverse_diffusion does.
// Vevo's fm_cond gives one condition frame per token; VevoSing's also upsamples (×4,
// resampling_layers) and its timbre-conversion path aligns the result to the mels' frames
// (crop, or repeat the last frame): `condFrames`.
import type { Random } from '../../core/generation/rng.ts';
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import { int64Tensor } from '../../core/onnx/tensors.ts';
import { FLOW_SLOTS, type FlowLoopInput } from './flow-loop.ts';
import { VEVO_ACOUSTIC } from './settings.ts';

const FLOW_LOOP = new URL('./flow-loop.ts', import.meta.url);

export interface FlowRequest {
  /** vq8192 tokens: the timbre reference's, then the target's. */
  readonly condIds: ArrayLike<number>;
  /** Normalised mel of the timbre reference, [frames × 128] frame-major. */
  readonly promptMel: Float32Array;
  readonly promptFrames: number;
  readonly steps: number;
  readonly random: Random;
  /** Condition frames per token that fm_cond gives (VevoSing: 4); default 1. */
  readonly upsample?: number;
  /** Align the condition to this many frames (crop, or repeat the last); default as fm_cond gives it. */
  readonly condFrames?: number;
}

export interface FlowHooks {
  readonly signal: AbortSignal;
  readonly onStep?: (step: number, total: number) => void;
}

/** Standard normal draws by Box–Muller from a seeded uniform source. */
export function gaussianNoise(count: number, random: Random): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = 1 - random();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** cond[:, :T], or cond padded with its last frame repeated up to T ([frames][hidden]). */
export function alignFrames(cond: Float32Array, hidden: number, frames: number): Float32Array {
  const have = cond.length / hidden;
  if (have === frames) return cond;
  if (have >= frames) return cond.slice(0, frames * hidden);
  const out = new Float32Array(frames * hidden);
  out.set(cond);
  for (let f = have; f < frames; f++) out.copyWithin(f * hidden, (have - 1) * hidden, have * hidden);
  return out;
}

/** target_len = len(cond) − len(prompt): the frames the FM stage generates. */
export function targetFramesOf(condFrames: number, promptFrames: number): number {
  return condFrames - promptFrames;
}

export async function generateMel(graphs: { readonly fm_estimator: GraphHandle }, request: FlowRequest, hooks: FlowHooks): Promise<{ mel: Float32Array; frames: number }> {
  const { melBins: bins, fmHidden: hidden, cfg, rescaleCfg } = VEVO_ACOUSTIC;
  const condFrames = request.condFrames ?? request.condIds.length * (request.upsample ?? 1);
  const targetFrames = targetFramesOf(condFrames, request.promptFrames);
  if (targetFrames < 1) throw new RangeError(`flow matching: ${condFrames} condition frames leave nothing after a ${request.promptFrames}-frame prompt`);
  const session = await graphs.fm_estimator.open!({ signal: hooks.signal, with: ['fm_cond'] });
  try {
    // cond = cond_emb(cat([timbre_ref_codes, target_codes])) (then resampling_layers), kept in the worker
    const condIds = int64Tensor(request.condIds, [1, request.condIds.length]);
    if (request.condFrames === undefined) await session.run('fm_cond', { cond_ids: condIds }, { keep: { cond: FLOW_SLOTS.cond } });
    else {
      // cond[:, :T] or padded with its last frame (vevosing_utils.py inference_fm)
      const { cond } = (await session.run('fm_cond', { cond_ids: condIds })).outputs;
      const aligned = alignFrames(cond!.data as Float32Array, hidden, condFrames);
      await session.put({ [FLOW_SLOTS.cond]: { type: 'float32', data: aligned, dims: [1, condFrames, hidden] } });
    }
    await session.put({ [FLOW_SLOTS.prompt]: { type: 'float32', data: request.promptMel, dims: [1, request.promptFrames, bins] } });
    const input: FlowLoopInput = {
      noise: gaussianNoise(targetFrames * bins, request.random),
      promptFrames: request.promptFrames,
      targetFrames,
      bins,
      hidden,
      steps: request.steps,
      cfg,
      rescale: rescaleCfg,
    };
    const mel = await session.loop<Float32Array>(FLOW_LOOP, input, { onProgress: (i, n) => hooks.onStep?.(i, n) });
    return { mel, frames: targetFrames };
  } finally {
    await session.close();
  }
}
