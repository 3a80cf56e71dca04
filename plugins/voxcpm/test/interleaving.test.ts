// The diffusion-AR interleaving, proven on tiny hand-built graphs: the loop module runs in the
// hub's ONNX worker (generate-loop.ts, caches resident) and must produce, patch for patch,
// what the oracle computes by restating voxcpm.py `_inference` + `solve_euler` in plain
// arithmetic: LM prefill → FSQ at audio positions → residual LM → per patch: mu → LocDiT N
// Euler steps with CFG-Zero* (zero-init steps, sway grid) → LocEnc of the patch → stop head →
// LM step → FSQ → residual LM step.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LoadedPlugin } from '../../../core/registry/load-registry.ts';
import { setupManager, type ManagerSetup } from '../../../test/onnx/support/manager.ts';
import type { PatchLoopInput, PatchLoopResult } from '../patch-loop.ts';
import { VOXCPM } from '../variants.ts';
import { oracleInference, type OracleInput } from './oracle.ts';
import { TOY_SIZES, toyGraphFiles, toyPlugin, toyWeights, type StopMode } from './toy-graphs.ts';

const LOOP = new URL('../generate-loop.ts', import.meta.url);
const LOOP_GRAPHS = ['text_embed', 'loc_enc', 'fsq', 'residual_lm', 'dit_condition', 'loc_dit', 'stop_head'];
const { patchSize: P, latentDim: D, hidden: h } = TOY_SIZES;
const shape = { patchSize: P, latentDim: D, hidden: h, muDim: h, layers: 1, residualLayers: 1, kvHeads: 1, headDim: h };

const prompt = [0, 1, 2].map((t) => Array.from({ length: P }, (_, p) => Array.from({ length: D }, (_, c) => Math.sin(1 + t * 1.3 + p * 0.7 + c * 0.4))));

function loopInput(over: Partial<OracleInput> = {}): { oracle: OracleInput; loop: PatchLoopInput } {
  const oracle: OracleInput = { textIds: [5, 17, 42, 9, VOXCPM.audioStartToken], prompt, steps: 10, cfg: 2, seed: 11, minLen: 2, maxLen: 12, ...over };
  return {
    oracle,
    loop: {
      shape,
      textIds: oracle.textIds,
      promptPatches: Float32Array.from(oracle.prompt.flat(2)),
      steps: oracle.steps,
      cfg: oracle.cfg,
      seed: oracle.seed,
      minPatches: oracle.minLen,
      maxPatches: oracle.maxLen,
    },
  };
}

function worstDifference(got: Float32Array, want: readonly number[]): number {
  assert.equal(got.length, want.length, `${got.length} values, the oracle has ${want.length}`);
  return want.reduce((worst, v, i) => Math.max(worst, Math.abs(got[i]! - v)), 0);
}

describe('VoxCPM patch loop against the oracle (toy graphs, in the ONNX worker)', () => {
  let setup: ManagerSetup;
  const plugins: Partial<Record<StopMode, LoadedPlugin>> = {};
  before(() => {
    setup = setupManager({ workers: 1 });
    for (const mode of ['learned', 'always', 'never'] as const) {
      const plugin = setup.pluginOf(toyPlugin(`voxcpm-toy-${mode}`));
      for (const [file, bytes] of Object.entries(toyGraphFiles(toyWeights(mode)))) setup.write(plugin, file, bytes);
      plugins[mode] = plugin;
    }
  });
  after(() => setup.close());

  async function run(mode: StopMode, input: PatchLoopInput): Promise<{ result: PatchLoopResult; ticks: number }> {
    const session = await setup.manager.open(plugins[mode]!, ['base_lm', ...LOOP_GRAPHS]);
    let ticks = 0;
    try {
      const result = await session.loop<PatchLoopResult>(LOOP, input, { onProgress: () => ticks++ });
      return { result, ticks };
    } finally {
      await session.close();
    }
  }

  it('continues a prompt patch for patch as the reference computes it, and stops where its stop head says', async () => {
    const { oracle, loop } = loopInput();
    const want = oracleInference(toyWeights('learned'), oracle);
    const { result, ticks } = await run('learned', loop);
    // The toy stop head fires on its own hidden state here: after min_len, before max_len.
    assert.ok(want.stopped && want.patches.length > 4 && want.patches.length < 12, `oracle: ${want.patches.length} patches`);
    assert.equal(result.count, want.patches.length);
    assert.equal(result.stop, want.stopped ? 'stop-head' : 'max-patches');
    assert.equal(ticks, result.count);
    const worst = worstDifference(result.patches, want.patches.flat(2));
    assert.ok(worst < 1e-4, `max |loop − oracle| = ${worst}`);
    // The patches move: not zeros, not the noise alone.
    assert.ok(want.patches.flat(2).some((v) => Math.abs(v) > 0.05));
  });

  it('generates without a prompt from zero conditioning, with few steps and a strong guidance', async () => {
    const { oracle, loop } = loopInput({ prompt: [], textIds: [3, 4, VOXCPM.audioStartToken], steps: 3, cfg: 4.5, seed: 99, maxLen: 5 });
    const want = oracleInference(toyWeights('learned'), oracle);
    const { result } = await run('learned', loop);
    assert.equal(result.count, want.patches.length);
    assert.ok(worstDifference(result.patches, want.patches.flat(2)) < 1e-4);
  });

  it('keeps min_len patches before the stop head may end it, and keeps the patch it stops on', async () => {
    const { oracle, loop } = loopInput();
    const want = oracleInference(toyWeights('always'), oracle);
    const { result } = await run('always', loop);
    // i > min_len (2) first holds at i = 3: four patches, the fourth kept.
    assert.equal(want.patches.length, 4);
    assert.equal(result.count, 4);
    assert.equal(result.stop, 'stop-head');
    assert.ok(worstDifference(result.patches, want.patches.flat(2)) < 1e-4);
  });

  it('runs to max_len when the stop head never fires, and a seed reproduces the run while another seed changes it', async () => {
    const { oracle, loop } = loopInput({ maxLen: 7 });
    const want = oracleInference(toyWeights('never'), oracle);
    const a = await run('never', loop);
    const b = await run('never', loop);
    const c = await run('never', { ...loop, seed: 12 });
    assert.equal(a.result.count, 7);
    assert.equal(a.result.stop, 'max-patches');
    assert.ok(worstDifference(a.result.patches, want.patches.flat(2)) < 1e-4);
    assert.deepEqual(a.result.patches, b.result.patches);
    assert.notDeepEqual(a.result.patches, c.result.patches);
  });

  it('stops soon after its request is cancelled, and leaves nothing resident in the worker', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const session = await setup.manager.open(plugins.never!, ['base_lm', ...LOOP_GRAPHS], { signal: controller.signal });
    let ticks = 0;
    const running = session.loop<PatchLoopResult>(LOOP, loopInput({ maxLen: 400 }).loop, {
      onProgress: () => {
        if (++ticks === 3) controller.abort(new Error('client went away'));
      },
    });
    // The session rejects with the abort's reason; when the worker's own check wins the race,
    // the loop ends first and answers a result marked cancelled. Either way it stopped.
    const outcome = await running.then((result) => result.stop, (error: Error) => error.message);
    assert.match(outcome, /client went away|cancelled/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Ticks already on their way still arrive (a toy patch takes about a millisecond); the loop itself stops at its next graph call.
    assert.ok(ticks < 100, `${ticks} of 400 patches after the cancel at 3`);
    const stats = (await setup.manager.workerStats())[0]!;
    assert.deepEqual({ loops: stats.loops, owners: stats.owners }, { loops: 0, owners: 0 });
  });
});
