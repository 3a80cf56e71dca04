// VoxCPM's diffusion-autoregressive loop (voxcpm.py `_inference`, unified_cfm.py
// `solve_euler`), over any runner of the plugin's graphs: inside the ONNX worker (io of a
// loop module, caches and hidden states never leave it) or over plain onnxruntime sessions
// (the bench's bare loop). One patch per step:
//   1. mu = dit_condition(lm_hidden, residual_hidden)
//   2. patch = Euler over the sway grid from z ~ N(0, I), v = CFG-Zero*(LocDiT(x, mu), LocDiT(x, 0)), cond = previous patch
//   3. embed = loc_enc(patch); stop when i > min_len and stop_head(lm_hidden) says 1
//   4. lm_hidden = fsq(base_lm.step(embed)); residual_hidden = residual_lm.step(lm_hidden, embed)
import { cfgZeroInitSteps, solveFlowEuler, swaySteps } from '../../core/generation/flow-euler.ts';
import { cfgZeroStar } from '../../core/generation/guidance.ts';
import { seededRandom } from '../../core/generation/rng.ts';
import { argmax } from '../../core/generation/samplers.ts';
import type { GraphRunner, RunnerTensor } from '../../core/generation/graph-runner.ts';
import { gaussianNoise } from './gaussian.ts';
import { VOXCPM } from './variants.ts';

export type { GraphRunner, RunnerTensor } from '../../core/generation/graph-runner.ts';

export interface PatchLoopShape {
  readonly patchSize: number;
  readonly latentDim: number;
  readonly hidden: number;
  readonly muDim: number;
  readonly layers: number;
  readonly residualLayers: number;
  readonly kvHeads: number;
  readonly headDim: number;
}

export interface PatchLoopInput {
  readonly shape: PatchLoopShape;
  /** Text ids (prompt transcript ⧺ target text ⧺ audio start); the prompt's patches follow them. */
  readonly textIds: readonly number[];
  /** Prompt latents, [patches, patchSize, latentDim] row-major (empty without a prompt). */
  readonly promptPatches: Float32Array;
  readonly steps: number;
  readonly cfg: number;
  readonly seed: number;
  readonly minPatches: number;
  readonly maxPatches: number;
  readonly swayCoefficient?: number;
}

export interface PatchLoopResult {
  /** Generated latents, [count, patchSize, latentDim] row-major. */
  readonly patches: Float32Array;
  readonly count: number;
  readonly stop: 'stop-head' | 'max-patches' | 'cancelled';
}

export interface PatchLoopHooks {
  onPatch?(index: number, total: number): void;
}

const floats = (t: RunnerTensor) => t.data as Float32Array;

/** Row `row` of a [1, n, width] tensor, copied. */
const lastRow = (t: RunnerTensor, width: number) => floats(t).slice(floats(t).length - width);

/** [P, D] (patch as stored) ⇄ [D, P] (as the DiT sees it, `transpose(1, 2)`). */
export function transposePatch(values: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

export async function generatePatches<T extends RunnerTensor>(runner: GraphRunner<T>, input: PatchLoopInput, hooks: PatchLoopHooks = {}): Promise<PatchLoopResult> {
  const { shape } = input;
  const { patchSize: P, latentDim: D, hidden: h } = shape;
  const patchValues = P * D;
  const textCount = input.textIds.length;
  const promptCount = input.promptPatches.length / patchValues;
  const total = textCount + promptCount;
  const f32 = (data: Float32Array, dims: readonly number[]) => runner.tensor('float32', data, dims);
  const emptyCache = (layers: number) => f32(new Float32Array(0), [layers, 1, shape.kvHeads, 0, shape.headDim]);

  // 1. prefill inputs: text embeddings at text positions, LocEnc embeddings of the prompt's patches after them
  const textIds = runner.tensor('int64', BigInt64Array.from(input.textIds, (id) => BigInt(id)), [1, textCount]);
  const textEmbeds = floats((await runner.run('text_embed', { text_ids: textIds })).embeds!);
  const featEmbeds = new Float32Array(total * h); // zero at text positions (feat_mask)
  if (promptCount > 0) {
    const prompt = await runner.run('loc_enc', { patches: f32(input.promptPatches, [1, promptCount, P, D]) });
    featEmbeds.set(floats(prompt.embeds!), textCount * h);
  }
  const combined = Float32Array.from(featEmbeds);
  combined.set(textEmbeds.subarray(0, textCount * h));

  // 2. base LM prefill; FSQ at audio positions only (`fsq(enc)·feat_mask + enc·text_mask`)
  let base = await runner.run('base_lm', { embeds: f32(combined, [1, total, h]), past_k: emptyCache(shape.layers), past_v: emptyCache(shape.layers) });
  const quantized = floats((await runner.run('fsq', { hidden: base.hidden! })).quantized!);
  const encoded = Float32Array.from(floats(base.hidden!));
  encoded.set(quantized.subarray(textCount * h), textCount * h);
  let lmHidden = encoded.slice((total - 1) * h);

  // 3. residual LM prefill over the LM output plus the patch embeddings
  let residual = await runner.run('residual_lm', {
    lm_hidden: f32(encoded, [1, total, h]),
    feat_embeds: f32(featEmbeds, [1, total, h]),
    past_k: emptyCache(shape.residualLayers),
    past_v: emptyCache(shape.residualLayers),
  });
  let residualHidden = lastRow(residual.hidden!, h);

  // The DiT's condition starts as the prompt's last patch (zeros without a prompt).
  let cond = promptCount > 0 ? transposePatch(input.promptPatches.subarray((promptCount - 1) * patchValues), P, D) : new Float32Array(patchValues);
  const random = seededRandom(input.seed);
  const steps = swaySteps(input.steps, input.swayCoefficient ?? VOXCPM.swayCoefficient);
  const zeroInitSteps = cfgZeroInitSteps(input.steps);
  const patches: Float32Array[] = [];

  for (let i = 0; i < input.maxPatches; i++) {
    if (runner.cancelled) return finish(patches, patchValues, 'cancelled');
    // 4. mu from both LMs; the unconditional branch gets mu = 0
    const mu = floats((await runner.run('dit_condition', { lm_hidden: f32(lmHidden, [1, h]), residual_hidden: f32(residualHidden, [1, h]) })).mu!);
    const muPair = new Float32Array(2 * shape.muDim);
    muPair.set(mu);
    const condPair = new Float32Array(2 * patchValues);
    condPair.set(cond);
    condPair.set(cond, patchValues);
    const muTensor = f32(muPair, [2, shape.muDim]);
    const condTensor = f32(condPair, [2, D, P]);
    const dt = f32(new Float32Array(2), [2]);

    // 5. CFM: Euler from noise along the sway grid, CFG-Zero* on each velocity, [D, P]
    const z = gaussianNoise(random, patchValues);
    const x = await solveFlowEuler(
      z,
      steps,
      async (current, t) => {
        const xPair = new Float32Array(2 * patchValues);
        xPair.set(current);
        xPair.set(current, patchValues);
        const out = await runner.run('loc_dit', { x: f32(xPair, [2, D, P]), mu: muTensor, t: f32(Float32Array.of(t, t), [2]), cond: condTensor, dt });
        const v = floats(out.velocity!);
        return cfgZeroStar(v.subarray(0, patchValues), v.subarray(patchValues), input.cfg);
      },
      { zeroInitSteps },
    );
    const patch = transposePatch(x, D, P); // [P, D]
    patches.push(patch);
    cond = x;
    hooks.onPatch?.(i + 1, input.maxPatches);

    // 6. the patch becomes the next LM input; the stop head reads the lm_hidden that conditioned it
    const embed = (await runner.run('loc_enc', { patches: f32(patch, [1, 1, P, D]) })).embeds!;
    const stop = argmax(floats((await runner.run('stop_head', { lm_hidden: f32(lmHidden, [1, h]) })).logits!));
    if (i > input.minPatches && stop === VOXCPM.stopClass) return finish(patches, patchValues, 'stop-head');
    if (i + 1 === input.maxPatches) break;

    // 7. one step of each LM; their caches go straight back in
    base = await runner.run('base_lm', { embeds: embed, past_k: base.present_k!, past_v: base.present_v! });
    const q = (await runner.run('fsq', { hidden: base.hidden! })).quantized!;
    lmHidden = floats(q).slice();
    residual = await runner.run('residual_lm', { lm_hidden: q, feat_embeds: embed, past_k: residual.present_k!, past_v: residual.present_v! });
    residualHidden = lastRow(residual.hidden!, h);
  }
  return finish(patches, patchValues, 'max-patches');
}

function finish(patches: readonly Float32Array[], size: number, stop: PatchLoopResult['stop']): PatchLoopResult {
  const out = new Float32Array(patches.length * size);
  patches.forEach((p, i) => out.set(p, i * size));
  return { patches: out, count: patches.length, stop };
}
