import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskPredict, type MaskPredictState, type StepReport } from '../sampling/mask-predict.ts';
import { makeRandom } from '../sampling/random.ts';
import { scriptedRandom, uniformFor } from './fake-random.ts';

/**
 * Known logits: position p prefers id (p + 1) mod vocab with logit 1 + p/2, every other id 0.
 * The preferred id's probability grows with p, so with flat noise the highest positions are
 * the most confident and are fixed first.
 */
function rampLogits(length: number, vocab: number): Float32Array {
  const logits = new Float32Array(length * vocab);
  for (let p = 0; p < length; p++) logits[p * vocab + ((p + 1) % vocab)] = 1 + p / 2;
  return logits;
}

const indicesOf = (mask: Uint8Array) => [...mask.keys()].filter((i) => mask[i]);

describe('the mask-predict loop', () => {
  it('runs one network call per step and leaves sin(t·π/2)·T masked after each (10 tokens, 4 steps: 9, 7, 3, 0)', async () => {
    const reports: StepReport[] = [];
    const calls: number[] = [];
    const result = await maskPredict({
      length: 10, vocab: 16, steps: 4, temperature: 0.9, topK: 3, random: makeRandom(1),
      predict: async (state) => (calls.push(state.t), rampLogits(10, 16)),
      onStep: (report) => void reports.push(report),
    });
    assert.equal(result.stepsRun, 4);
    assert.deepEqual(calls, [1, 0.75, 0.5, 0.25]);
    assert.deepEqual(reports.map((r) => r.masked), [9, 7, 3, 0]);
    assert.deepEqual(reports.map((r) => r.fixed.length), [1, 2, 4, 3]);
  });

  it('fixes exactly the most confident positions at each step when the logits are known', async () => {
    const seen: MaskPredictState[] = [];
    const reports: StepReport[] = [];
    const result = await maskPredict({
      length: 10, vocab: 16, steps: 4, temperature: 0.9, topK: 3, random: scriptedRandom(),
      predict: async (state) => (seen.push(state), rampLogits(10, 16)),
      onStep: (report) => void reports.push(report),
    });
    assert.deepEqual(reports.map((r) => [...r.fixed].sort((a, b) => a - b)), [[9], [7, 8], [3, 4, 5, 6], [0, 1, 2]]);
    // what the network saw: the mask shrinking from the top, masked positions holding id 0
    assert.deepEqual(seen.map((s) => indicesOf(s.mask)), [
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
      [0, 1, 2, 3, 4, 5, 6],
      [0, 1, 2],
    ]);
    assert.deepEqual([...seen[2]!.tokens], [0, 0, 0, 0, 0, 0, 0, 8, 9, 10]);
    assert.deepEqual([...result.tokens], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('stops early when the schedule reaches zero masked (2 tokens, 25 steps: 17 calls)', async () => {
    let calls = 0;
    const result = await maskPredict({
      length: 2, vocab: 4, steps: 25, temperature: 0.9, topK: 2, random: makeRandom(3),
      predict: async () => (calls++, rampLogits(2, 4)),
    });
    assert.equal(calls, 17);
    assert.equal(result.stepsRun, 17);
    assert.deepEqual([...result.tokens], [1, 2]);
  });

  it('is greedy on the last of several steps, drawing no noise for it', async () => {
    // step 0 samples both tokens and re-masks position 1 (its confidence noise is -5);
    // step 1 is the last: position 1 takes its best id (0) though +9 noise waits on id 1
    const random = scriptedRandom([uniformFor(0), uniformFor(0), uniformFor(0), uniformFor(0), uniformFor(0), uniformFor(-5)], uniformFor(9));
    let step = 0;
    const result = await maskPredict({
      length: 2, vocab: 2, steps: 2, temperature: 1, topK: 2, random,
      predict: async () => (step++ === 0 ? Float32Array.from([0, 1, 0, 1]) : Float32Array.from([0, 1, 1, 0])),
    });
    assert.deepEqual([...result.tokens], [1, 0]);
    assert.equal(random.draws, 6);
  });

  it('samples at temperature 0.2 when there is a single step, as the original does', async () => {
    // logits [0, 1]: at 0.2 the scaled gap is 5; noise +4 on id 0 is not enough, +6 is
    const run = (g: number) =>
      maskPredict({
        length: 1, vocab: 2, steps: 1, temperature: 1.5, topK: 2,
        // candidates come most likely first: id 1, then id 0
        random: scriptedRandom([uniformFor(0), uniformFor(g)]),
        predict: async () => Float32Array.from([0, 1]),
      });
    assert.deepEqual([...(await run(4)).tokens], [1]);
    assert.deepEqual([...(await run(6)).tokens], [0]);
  });

  it('anneals the sampling temperature with t: the same noise wins at t = 1 and loses at t = 2/3', async () => {
    // logits [-9, 0, 1] everywhere; candidates are id 2 then id 1. Noise +1.2 on id 1 beats a
    // gap of 1 at temperature 1, not the gap of 1.5 at temperature 2/3.
    const [zero, lift, sure] = [uniformFor(0), uniformFor(1.2), uniformFor(5)];
    const random = scriptedRandom([
      zero, lift, sure, zero, zero, zero, zero, zero, zero, // step 0: position 0 takes id 1 and is kept
      zero, lift, sure, zero, zero, zero, // step 1: position 1 keeps id 2 despite the same noise
    ]);
    const result = await maskPredict({
      length: 3, vocab: 3, steps: 3, temperature: 1, topK: 2, random,
      predict: async () => Float32Array.from([-9, 0, 1, -9, 0, 1, -9, 0, 1]),
    });
    assert.deepEqual([...result.tokens], [1, 2, 2]);
    assert.equal(random.draws, 15);
  });

  it('samples only from the top k ids', async () => {
    const vocab = 50;
    const logits = Float32Array.from({ length: 6 * vocab }, (_, i) => ((i % vocab) < 3 ? 5 : 4.9));
    const result = await maskPredict({ length: 6, vocab, steps: 5, temperature: 1, topK: 3, random: makeRandom(9), predict: async () => logits });
    assert.ok([...result.tokens].every((id) => id < 3), [...result.tokens].join());
  });

  it('reproduces its tokens for the same seed and changes them for another', async () => {
    const vocab = 32;
    const noisy = Float32Array.from({ length: 20 * vocab }, (_, i) => Math.sin(i * 1.7) * 2);
    const run = (seed: number) => maskPredict({ length: 20, vocab, steps: 6, temperature: 1, topK: 8, random: makeRandom(seed), predict: async () => noisy });
    const a = await run(5), b = await run(5), c = await run(6);
    assert.deepEqual([...a.tokens], [...b.tokens]);
    assert.notDeepEqual([...a.tokens], [...c.tokens]);
  });

  it('stops between steps when the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    await assert.rejects(
      maskPredict({
        length: 10, vocab: 4, steps: 5, temperature: 1, topK: 2, random: makeRandom(1), signal: controller.signal,
        predict: async () => (++calls === 2 && controller.abort(new Error('client went away')), rampLogits(10, 4)),
      }),
      /client went away/,
    );
    assert.equal(calls, 2);
  });

  it('refuses logits of the wrong size', async () => {
    await assert.rejects(
      maskPredict({ length: 3, vocab: 4, steps: 2, temperature: 1, topK: 2, random: makeRandom(1), predict: async () => new Float32Array(11) }),
      /expected 3 × 4/,
    );
  });
});
