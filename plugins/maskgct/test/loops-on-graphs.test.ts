// The T2S and S2A loops on real onnxruntime sessions: smoke graphs generated from the
// plugin's contracts, and a logits graph whose output is known.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeLogger } from '../../../core/log/logger.ts';
import { semanticToAcoustic } from '../pipeline/semantic-to-acoustic.ts';
import { makeStepLog } from '../pipeline/step-log.ts';
import { textToSemantic } from '../pipeline/text-to-semantic.ts';
import { makeRandom } from '../sampling/random.ts';
import { MASKGCT } from '../settings.ts';
import { scriptedRandom } from './fake-random.ts';
import { numbers, rampLogitsGraph, smokeHandles } from './graph-sessions.ts';

function recordingRun() {
  const steps: Record<string, unknown>[] = [];
  const log = makeLogger({
    level: 'debug',
    write: (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === 'maskgct step') steps.push(entry);
    },
  });
  const signal = new AbortController().signal;
  return { steps, run: { log: makeStepLog({ signal, log, progress: () => {} }, 1000), signal } };
}

const masked = (mask: unknown) => numbers(mask as never).flatMap((v, i) => (v ? [i] : []));

describe('T2S on smoke graphs', () => {
  it('makes one step-graph and one logits-graph call per step, with sin(t·π/2)·T masked going in', async () => {
    const graphs = await smokeHandles();
    const { steps, run } = recordingRun();
    const tokens = await textToSemantic(graphs, { phoneIds: [3, 1, 4, 1, 5], promptIds: [9, 2, 6], targetFrames: 10, steps: 4, temperature: 0.7, random: makeRandom(1) }, run);
    assert.equal(graphs.t2s_step.calls.length, 4);
    assert.equal(graphs.t2s_logits.calls.length, 4);
    assert.deepEqual(graphs.t2s_step.calls.map((c) => masked(c.target_mask).length), [10, 9, 7, 3]);
    assert.deepEqual(graphs.t2s_step.calls.map((c) => numbers(c.t)[0]), [1, 0.75, 0.5, 0.25]);
    assert.deepEqual(numbers(graphs.t2s_step.calls[0]!.phone_ids), [3, 1, 4, 1, 5]);
    assert.deepEqual(numbers(graphs.t2s_step.calls[0]!.prompt_ids), [9, 2, 6]);
    assert.equal(tokens.length, 10);
    assert.ok([...tokens].every((id) => id >= 0 && id < MASKGCT.semanticVocab));
    // time and memory of every step are logged
    assert.equal(steps.length, 4);
    for (const step of steps) for (const key of ['ms', 'rssMb', 'heapMb', 'step', 'of', 'masked']) assert.ok(key in step, `${key} in ${JSON.stringify(step)}`);
  });

  it('fixes exactly the most confident positions at each step when the logits graph is known', async () => {
    const graphs = await smokeHandles({ t2s_logits: rampLogitsGraph('t2s_logits') });
    const { run } = recordingRun();
    const tokens = await textToSemantic(graphs, { phoneIds: [1, 2], promptIds: [3], targetFrames: 10, steps: 4, temperature: 0.9, random: scriptedRandom() }, run);
    // position p prefers id p + 1 and grows more confident with p: the top positions are fixed first
    assert.deepEqual(graphs.t2s_step.calls.map((c) => masked(c.target_mask)), [
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
      [0, 1, 2, 3, 4, 5, 6],
      [0, 1, 2],
    ]);
    // fixed tokens go back into the step graph; masked ones are 0
    assert.deepEqual(numbers(graphs.t2s_step.calls[2]!.target_ids), [0, 0, 0, 0, 0, 0, 0, 8, 9, 10]);
    assert.deepEqual([...tokens], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('feeds the logits graph the guided hidden states, shaped like the step graph\'s', async () => {
    const graphs = await smokeHandles();
    const { run } = recordingRun();
    await textToSemantic(graphs, { phoneIds: [1], promptIds: [2, 3], targetFrames: 6, steps: 2, temperature: 0.7, random: makeRandom(2) }, run);
    assert.deepEqual(graphs.t2s_logits.calls[0]!.hidden!.dims, [1, 6, MASKGCT.t2sHidden]);
  });
});

describe('S2A on smoke graphs', () => {
  it('runs 25 steps for layer 0, then 10, 1, …, 1 for layers 1–11, telling the full model its layer', async () => {
    const graphs = await smokeHandles();
    const { run } = recordingRun();
    const promptFrames = 4;
    const promptCodes = Int32Array.from({ length: promptFrames * 12 }, (_, i) => (i * 37) % 1024);
    // 16 frames: enough that even the 25th step of layer 0 leaves one token masked (no early stop)
    const { codes, frames } = await semanticToAcoustic(graphs, { semanticIds: Array.from({ length: 20 }, (_, i) => i * 11), promptCodes, random: makeRandom(3) }, run);
    assert.equal(frames, 16); // len(semantic) − len(acoustic prompt)
    assert.equal(graphs.s2a_1layer_step.calls.length, 25);
    assert.equal(graphs.s2a_1layer_logits.calls.length, 25);
    assert.equal(graphs.s2a_full_step.calls.length, 20);
    assert.deepEqual(graphs.s2a_full_step.calls.map((c) => numbers(c.layer)[0]), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(graphs.s2a_full_logits.calls.map((c) => numbers(c.layer)[0]), graphs.s2a_full_step.calls.map((c) => numbers(c.layer)[0]));
    // the one-layer model sees layer 0 of the prompt; the full model all 12
    assert.deepEqual(numbers(graphs.s2a_1layer_step.calls[0]!.prompt_ids), Array.from({ length: promptFrames }, (_, f) => promptCodes[f * 12]));
    assert.deepEqual(numbers(graphs.s2a_full_step.calls[0]!.prompt_ids), [...promptCodes]);
    assert.equal(codes.length, frames * 12);
    assert.ok([...codes].every((id) => id >= 0 && id < MASKGCT.acousticVocab));
  });

  it('stops a layer early when its schedule reaches zero masked (6 frames: 23 of 25 steps for layer 0, 9 of 10 for layer 1)', async () => {
    const graphs = await smokeHandles();
    const { run } = recordingRun();
    await semanticToAcoustic(graphs, { semanticIds: Array.from({ length: 10 }, (_, i) => i), promptCodes: new Int32Array(4 * 12), random: makeRandom(6) }, run);
    assert.equal(graphs.s2a_1layer_step.calls.length, 23);
    assert.equal(graphs.s2a_full_step.calls.filter((c) => numbers(c.layer)[0] === 1).length, 9);
  });

  it('gives each layer the finished layers below it', async () => {
    const graphs = await smokeHandles();
    const { run } = recordingRun();
    const { codes, frames } = await semanticToAcoustic(graphs, { semanticIds: Array.from({ length: 9 }, (_, i) => i), promptCodes: new Int32Array(3 * 12), random: makeRandom(4) }, run);
    const firstCallOf = (layer: number) => graphs.s2a_full_step.calls.find((c) => numbers(c.layer)[0] === layer)!;
    for (const layer of [1, 5, 11]) {
      const fed = numbers(firstCallOf(layer).target_ids);
      for (let f = 0; f < frames; f++) for (let l = 0; l < layer; l++) assert.equal(fed[f * 12 + l], codes[f * 12 + l], `layer ${layer}, frame ${f}, column ${l}`);
    }
  });

  it('refuses a target with no frames left after the prompt', async () => {
    const graphs = await smokeHandles();
    const { run } = recordingRun();
    await assert.rejects(semanticToAcoustic(graphs, { semanticIds: [1, 2, 3], promptCodes: new Int32Array(3 * 12), random: makeRandom(5) }, run), /no frames left/);
  });
});
