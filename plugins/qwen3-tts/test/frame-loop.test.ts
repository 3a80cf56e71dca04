// The nested loop's order, proven on tiny hand-built graphs with known logits: the loop module
// runs in the hub's ONNX worker (generate-loop.ts, both caches resident) and must choose, token
// by token, what the oracle computes by restating the reference greedily: talker → code predictor
// prefill + 14 steps → Σ of the 16 group embeddings + trailing text → next talker step. And
// cancellation stops both loops at their next graph call.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import type { GraphRunner } from '../../../core/generation/graph-runner.ts';
import type { LoadedPlugin } from '../../../core/registry/load-registry.ts';
import { setupManager, type ManagerSetup } from '../../../test/onnx/support/manager.ts';
import { generateFrames, type FrameLoopInput, type FrameLoopResult } from '../frame-loop.ts';
import { LOOP_GRAPHS } from '../graphs.ts';
import { talkerPrompt } from '../prompt.ts';
import { QWEN3 } from '../variants.ts';
import { oracleFrames } from './oracle.ts';
import { toyGraphFiles, toyPlugin, toyWeights, type EosMode } from './toy-graphs.ts';

const LOOP = new URL('../generate-loop.ts', import.meta.url);
const H = 4;
const shape = { hidden: H, talker: { layers: 1, kvHeads: 1, headDim: H }, predictor: { layers: 1, kvHeads: 1, headDim: H } };
const reference = [0, 1, 2].map((f) => Array.from({ length: 16 }, (_, g) => (f * 311 + g * 97) % 2048));
const speaker = [0.3, -0.2, 0.5, 0.1];
// An ICL clone prompt with trailing text: every kind of prefill row, and text fed per frame.
const prompt = talkerPrompt({
  ids: { target: [151644, 77091, 198, 9707, 11, 1879, 0, 42, 7, 151645, 198, 151644, 77091, 198], reference: [151644, 77091, 198, 2610, 374, 151645, 198] },
  languageId: QWEN3.languages.english,
  xVector: true,
  referenceFrames: reference.length,
  textInPrefill: false,
});

function loopInput(maxFrames: number): FrameLoopInput {
  return {
    shape,
    prompt,
    speaker: Float32Array.from(speaker),
    referenceCodes: Int32Array.from(reference.flat()),
    talkerSampling: { temperature: 0, repetitionPenalty: 1.05 },
    predictorSampling: { temperature: 0 },
    seed: 1,
    maxFrames,
    minFrames: QWEN3.minNewTokens,
  };
}

const oracle = (eos: EosMode, maxFrames: number) =>
  oracleFrames(toyWeights(eos), { prompt, speaker, referenceCodes: reference, maxFrames, minFrames: QWEN3.minNewTokens, repetitionPenalty: 1.05 });

describe('Qwen3-TTS frame loop against the oracle (toy graphs)', () => {
  let setup: ManagerSetup;
  const plugins: Partial<Record<EosMode, LoadedPlugin>> = {};
  before(() => {
    setup = setupManager({ workers: 1 });
    for (const eos of ['never', 'always'] as const) {
      const plugin = setup.pluginOf(toyPlugin(`qwen3-toy-${eos}`));
      for (const [file, bytes] of Object.entries(toyGraphFiles(toyWeights(eos)))) setup.write(plugin, file, bytes);
      plugins[eos] = plugin;
    }
  });
  after(() => setup.close());

  async function run(eos: EosMode, input: FrameLoopInput) {
    const session = await setup.manager.open(plugins[eos]!, [...LOOP_GRAPHS]);
    const emitted: number[][] = [];
    try {
      const result = await session.loop<FrameLoopResult, number[]>(LOOP, input, { onEmit: (codes) => emitted.push(codes) });
      return { result, emitted };
    } finally {
      await session.close();
    }
  }

  it('chooses every code of every frame as the reference order does, in the worker, streaming each frame as it is made', async () => {
    const want = oracle('never', 5);
    const { result, emitted } = await run('never', loopInput(5));
    assert.equal(result.stop, 'max-frames');
    assert.deepEqual(emitted, want.frames);
    assert.deepEqual(Array.from(result.codes), want.frames.flat());
    // The codes move: the predictor's groups differ from each other and frames differ.
    assert.ok(new Set(want.frames.flat()).size > 20, `${new Set(want.frames.flat()).size} distinct codes`);
  });

  it('keeps min_new_tokens frames before EOS may end it, and does not keep the EOS frame', async () => {
    const { result } = await run('always', loopInput(10));
    assert.deepEqual(oracle('always', 10).frames.length, 2);
    assert.equal(result.stop, 'eos');
    assert.equal(result.frames, 2);
  });

  it('stops in the worker soon after its request is cancelled, and leaves nothing resident', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const session = await setup.manager.open(plugins.never!, [...LOOP_GRAPHS], { signal: controller.signal });
    let frames = 0;
    const running = session.loop<FrameLoopResult, number[]>(LOOP, loopInput(400), {
      onEmit: () => {
        if (++frames === 3) controller.abort(new Error('client went away'));
      },
    });
    // The session rejects with the abort's reason, or the loop's own check wins and it ends marked cancelled.
    const outcome = await running.then((result) => result.stop, (error: Error) => error.message);
    assert.match(outcome, /client went away|cancelled/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Frames already on their way still arrive; the loop itself stops at its next graph call.
    assert.ok(frames < 40, `${frames} of 400 frames after the cancel at 3`);
    const stats = (await setup.manager.workerStats())[0]!;
    assert.deepEqual({ loops: stats.loops, owners: stats.owners }, { loops: 0, owners: 0 });
  });

  it('stops both loops at their next graph call once cancelled, mid-frame', async () => {
    const sessions = new Map<string, ort.InferenceSession>();
    for (const [file, bytes] of Object.entries(toyGraphFiles(toyWeights('never')))) sessions.set(file.replace('.onnx', ''), await ort.InferenceSession.create(bytes));
    let calls = 0;
    let cancelAt = Infinity;
    const runner: GraphRunner<ort.Tensor> & { cancelled: boolean } = {
      cancelled: false,
      run: async (graph, feeds) => {
        assert.ok(!runner.cancelled, `${graph} ran after the cancel`);
        if (++calls === cancelAt) runner.cancelled = true;
        return (await sessions.get(graph)!.run(feeds as Record<string, ort.Tensor>)) as Record<string, ort.Tensor>;
      },
      tensor: (type, data, dims) => new ort.Tensor(type as 'float32', data as Float32Array, dims as number[]),
    };
    // A run: 1 text + 1 codec + 16 reference-group embeds + 1 talker prefill, then per frame
    // 1 codec embed + 15 group embeds + 15 predictor calls + 1 talker step (none after the last frame).
    const baseline = await generateFrames(runner, loopInput(3));
    assert.equal(baseline.frames, 3);
    assert.equal(calls, 19 + 3 * 32 - 1);
    // Cut inside the second frame's code-predictor steps, and just before its talker step.
    for (const cut of [19 + 32 + 20, 19 + 2 * 32 - 1]) {
      calls = 0;
      cancelAt = cut;
      runner.cancelled = false;
      const result = await generateFrames(runner, loopInput(3));
      assert.equal(result.stop, 'cancelled');
      assert.equal(calls, cut, 'no graph ran after the cancel');
      assert.equal(result.frames, cut === 19 + 32 + 20 ? 1 : 2);
    }
  });
});
