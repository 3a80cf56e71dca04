// The AR and FM loop modules on hand-built graphs with known outputs, run by real onnxruntime
// sessions: the K/V cache is fed back, sampling reproduces a one-hot model, cancellation
// stops within one step, and the FM loop is reverse_diffusion's Euler + rescaled CFG.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acousticGraphs } from '../../vevo-common/graphs.ts';
import flowLoop, { FLOW_SLOTS, type FlowLoopInput } from '../../vevo-common/flow-loop.ts';
import { graphs } from '../graphs.ts';
import arLoop, { type ArLoopInput } from '../../vevo-common/ar-loop.ts';
import { arLayout, arPrompt } from '../pipeline/token-layout.ts';
import { VEVO } from '../settings.ts';
import { countingLlamaBytes, idConditionBytes, oracleIO, scaleEstimatorBytes, shiftEstimatorBytes } from './oracle-graphs.ts';

const { layers, heads, headDim } = VEVO.ar.vc;

function arInput(prompt: number[], maxNewTokens: number): ArLoopInput {
  return { graph: 'ar_vc', prompt, layout: arLayout(VEVO.ar.vc.inputVocab, 8192), cache: { layers, heads, headDim }, temperature: 0.8, topK: 50, topP: 0.9, minNewTokens: 50, maxNewTokens, seed: 1 };
}

describe('AR loop (ar-loop.ts) on a counting Llama', () => {
  it('prefills the prompt once, then feeds one token per step on the growing cache', async () => {
    const io = await oracleIO({ ar_vc: countingLlamaBytes(graphs.ar_vc, 8192) });
    const layout = arLayout(VEVO.ar.vc.inputVocab, 8192);
    const prompt = arPrompt(layout, [1024 + 5, 1024 + 9], [7, 7, 8]); // 2 inputs, 3 prompt outputs → 8 ids
    const result = await arLoop.run(io, arInput(prompt, 5));
    assert.deepEqual(result.tokens, [8, 9, 10, 11, 12]);
    assert.equal(result.stop, 'max-new-tokens');
    assert.deepEqual(io.emitted, [8, 9, 10, 11, 12]);
    assert.deepEqual(io.progressed, [[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
    // prefill: 8 ids on an empty cache; then one id on 8, 9, 10, 11 cached positions
    assert.deepEqual(io.runs.map((r) => [r.feeds.input_ids![1], r.feeds.past_key![3]]), [[8, 0], [1, 8], [1, 9], [1, 10], [1, 11]]);
  });

  it('never emits an input-range or special id: only output ids and out_eos survive', async () => {
    // the model prefers (cache length) mod 9268: ids ≥ 8192 once the cache passes 8192 positions
    // would be chosen; a short stand-in: wrap so the preferred id is an input id (8192 + 3)
    const io = await oracleIO({ ar_vc: countingLlamaBytes(graphs.ar_vc, 8192 + 8 + 100) });
    const prompt = arPrompt(arLayout(VEVO.ar.vc.inputVocab, 8192), [1024], Array(3).fill(1)); // 7 ids
    const result = await arLoop.run(io, { ...arInput(prompt, 3), temperature: 1, topK: 0, topP: 1 });
    for (const token of result.tokens) assert.ok(token < 8192, `token ${token}`);
  });

  it('holds out_eos back for the first min_new_tokens, then stops on it', async () => {
    const layout = arLayout(VEVO.ar.vc.inputVocab, 8192);
    const io = await oracleIO({ ar_vc: countingLlamaBytes(graphs.ar_vc, 8192, layout.outputEos) });
    const result = await arLoop.run(io, arInput(arPrompt(layout, [1024], [1]), 500));
    assert.equal(result.stop, 'stop-token');
    assert.equal(result.tokens.length, VEVO.ar.minNewTokens);
    // with out_eos masked the rest tie at 0: the draw picks among output ids only
    for (const token of result.tokens) assert.ok(token >= 0 && token < 8192, `token ${token}`);
  });

  it('stops within one step once cancelled', async () => {
    const io = await oracleIO({ ar_vc: countingLlamaBytes(graphs.ar_vc, 8192) });
    const input = arInput(arPrompt(arLayout(VEVO.ar.vc.inputVocab, 8192), [1024], [1]), 100);
    const original = io.emit.bind(io);
    io.emit = (value) => {
      original(value);
      if (io.emitted.length === 3) io.cancelled = true;
    };
    await assert.rejects(arLoop.run(io, input), /cancelled/);
    assert.deepEqual(io.emitted, [5, 6, 7]); // after a 5-id prompt
    assert.equal(io.runs.length, 3, 'prefill + two steps; no run after the cancel');
  });
});

describe('FM loop (flow-loop.ts) on an estimator v = x + mean(cond)', () => {
  it('is Euler at midpoint times with cfg 1 and rescale 0.75: x ← x + (x + 2m)/N for the target part', async () => {
    const [promptFrames, targetFrames, bins, hidden] = [2, 3, 128, 1024];
    const condIds = [4, 4, 1, 2, 3]; // 2 prompt + 3 target frames; m = mean(ids) over the full cond
    const m = condIds.reduce((a, b) => a + b) / condIds.length;
    const noise = Float32Array.from({ length: targetFrames * bins }, (_, i) => Math.sin(i));
    const prompt = Float32Array.from({ length: promptFrames * bins }, (_, i) => Math.cos(i));
    const condIo = await oracleIO({ fm_cond: idConditionBytes(acousticGraphs.fm_cond) });
    const cond = (await condIo.run('fm_cond', { cond_ids: { type: 'int64', data: BigInt64Array.from(condIds.map(BigInt)), dims: [1, 5] } })).cond!;
    const io = await oracleIO(
      { fm_estimator: shiftEstimatorBytes(acousticGraphs.fm_estimator) },
      { [FLOW_SLOTS.prompt]: { type: 'float32', data: prompt, dims: [1, promptFrames, bins] }, [FLOW_SLOTS.cond]: { type: 'float32', data: cond.data as Float32Array, dims: [...cond.dims] } },
    );
    const steps = 4;
    const input: FlowLoopInput = { noise, promptFrames, targetFrames, bins, hidden, steps, cfg: 1, rescale: 0.75 };
    const mel = (await flowLoop.run(io, input)) as Float32Array;
    // v_c = x + m, v_u = x (zero cond); g = 2v_c − v_u = x + 2m; std(v_c)/std(g) = 1 → v = g
    let x = Float64Array.from(noise);
    for (let i = 0; i < steps; i++) x = x.map((value) => value + (value + 2 * m) / steps);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(mel[i]! - x[i]!) < 1e-4, `mel[${i}] ${mel[i]} vs ${x[i]}`);
    // per step: conditional on [prompt; x] (5 frames) then unconditional on x (3 frames)
    assert.deepEqual(io.runs.slice(0, 2).map((r) => r.feeds.x), [[1, 5, bins], [1, 3, bins]]);
    assert.equal(io.runs.length, 2 * steps);
    assert.deepEqual(io.progressed.at(-1), [steps, steps]);
  });

  it('rescales the guided velocity to the conditional one\'s std: v = 0.75·g·std(v_c)/std(g) + 0.25·g', async () => {
    // v_c = x(1 + m), v_u = x → g = x(1 + 2m); std(v_c)/std(g) = (1 + m)/(1 + 2m) → v = x(1 + 1.25m)
    const [bins, hidden, steps] = [128, 1024, 3];
    const m = 0.4;
    const noise = Float32Array.from({ length: 2 * bins }, (_, i) => Math.cos(i * 0.7));
    const io = await oracleIO(
      { fm_estimator: scaleEstimatorBytes(acousticGraphs.fm_estimator) },
      { [FLOW_SLOTS.prompt]: { type: 'float32', data: new Float32Array(bins), dims: [1, 1, bins] }, [FLOW_SLOTS.cond]: { type: 'float32', data: new Float32Array(3 * hidden).fill(m), dims: [1, 3, hidden] } },
    );
    const mel = (await flowLoop.run(io, { noise, promptFrames: 1, targetFrames: 2, bins, hidden, steps, cfg: 1, rescale: 0.75 })) as Float32Array;
    const factor = (1 + (1 + 1.25 * m) / steps) ** steps;
    for (let i = 0; i < noise.length; i++) assert.ok(Math.abs(mel[i]! - noise[i]! * factor) < 1e-4, `mel[${i}] ${mel[i]} vs ${noise[i]! * factor}`);
  });

  it('stops within one step once cancelled', async () => {
    const io = await oracleIO(
      { fm_estimator: shiftEstimatorBytes(acousticGraphs.fm_estimator) },
      { [FLOW_SLOTS.prompt]: { type: 'float32', data: new Float32Array(128), dims: [1, 1, 128] }, [FLOW_SLOTS.cond]: { type: 'float32', data: new Float32Array(2 * 1024), dims: [1, 2, 1024] } },
    );
    const original = io.progress.bind(io);
    io.progress = (step, total) => {
      original(step, total);
      io.cancelled = true;
    };
    await assert.rejects(flowLoop.run(io, { noise: new Float32Array(128), promptFrames: 1, targetFrames: 1, bins: 128, hidden: 1024, steps: 32, cfg: 1, rescale: 0.75 }), /cancelled/);
    assert.equal(io.runs.length, 2, 'one step (two passes), then nothing');
  });
});
