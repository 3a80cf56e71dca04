// Loops inside the ONNX worker: tokens and progress cross, the cache does not; a cancel
// stops the loop within a step; a worker that dies mid-loop fails the request with 503
// and the next request gets a fresh worker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTokens } from '../../core/generation/ar-driver.ts';
import { isHubError } from '../../core/errors.ts';
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import type { ArResult } from '../../core/generation/ar-driver.ts';
import type { LoadedPlugin } from '../../core/registry/load-registry.ts';
import { arDecoderBytes, arPlugin, SMALL_AR } from '../support/ar-decoder.ts';
import { setupManager, type ManagerSetup } from '../onnx/support/manager.ts';
import type { ArLoopInput } from './fixtures/ar-loop.ts';

const LOOP = new URL('./fixtures/ar-loop.ts', import.meta.url);
const { layers, width } = SMALL_AR;
const input = (over: Partial<ArLoopInput> = {}): ArLoopInput => ({ prompt: [1, 2, 3], settings: { maxNewTokens: 24 }, layers, width, ...over });

describe('a loop module running next to the session', () => {
  let setup: ManagerSetup;
  let plugin: LoadedPlugin;
  before(() => {
    setup = setupManager({ workers: 1 });
    plugin = setup.pluginOf(arPlugin('ar-loop'));
    setup.write(plugin, 'decoder.onnx', arDecoderBytes(SMALL_AR));
  });
  after(() => setup.close());

  it('streams tokens and progress, and matches the same loop driven from the main thread', async () => {
    const session = await setup.manager.open(plugin, ['decoder']);
    const streamed: number[] = [];
    const ticks: string[] = [];
    const crossedBefore = setup.manager.traffic.bytes;
    const result = await session.loop<ArResult, number>(LOOP, input(), { onEmit: (t) => streamed.push(t), onProgress: (i, n) => ticks.push(`${i}/${n}`) });
    const crossed = setup.manager.traffic.bytes - crossedBefore;
    assert.equal(result.tokens.length, 24);
    assert.deepEqual(streamed, result.tokens);
    assert.deepEqual(ticks.slice(0, 2), ['1/24', '2/24']);
    assert.equal(ticks.length, 24);
    // Only the prompt, the tokens and the ticks crossed: no cache (2·2·32·4 bytes per position), no logits (64·4 bytes).
    assert.ok(crossed / 24 < 200, `${crossed} bytes crossed threads in 24 steps`);

    // The same decoding with the cache resident and the logits crossing, step by step.
    const empty = (): TensorData => ({ type: 'float32', data: new Float32Array(0), dims: [layers, 1, 0, width] });
    let cache = { past_k: empty() as never, past_v: empty() as never };
    const model = {
      async feed(tokens: readonly number[]) {
        const out = await session.run('decoder', { tokens: { type: 'int64', data: BigInt64Array.from(tokens.map(BigInt)), dims: [1, tokens.length] }, ...cache }, { keep: { present_k: 'k', present_v: 'v' } });
        cache = { past_k: out.kept.present_k as never, past_v: out.kept.present_v as never };
        const logits = out.outputs.logits!.data as Float32Array;
        return logits.subarray(logits.length - SMALL_AR.vocab);
      },
    };
    const mainThread = await generateTokens(model, [1, 2, 3], { maxNewTokens: 24 });
    assert.deepEqual(mainThread.tokens, result.tokens);
    await session.close();
  });

  it('reproduces a sampled run from its seed', async () => {
    const session = await setup.manager.open(plugin, ['decoder']);
    const sampled = { maxNewTokens: 16, temperature: 1.3, topK: 20, topP: 0.95, seed: 42 };
    const a = await session.loop<ArResult>(LOOP, input({ settings: sampled }));
    const b = await session.loop<ArResult>(LOOP, input({ settings: sampled }));
    const c = await session.loop<ArResult>(LOOP, input({ settings: { ...sampled, seed: 43 } }));
    assert.deepEqual(a.tokens, b.tokens);
    assert.notDeepEqual(a.tokens, c.tokens);
    await session.close();
  });

  it('stops within one step when its request is cancelled', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const session = await setup.manager.open(plugin, ['decoder'], { signal: controller.signal });
    const streamed: number[] = [];
    const running = session.loop(LOOP, input({ settings: { maxNewTokens: 400 }, stepDelayMs: 20 }), {
      onEmit: (t: number) => {
        streamed.push(t);
        if (streamed.length === 5) controller.abort(new Error('client went away'));
      },
    });
    await assert.rejects(running, /client went away/);
    // Cancelled at token 5; one step may have been under way.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(streamed.length <= 6, `${streamed.length} tokens after the cancel at 5`);
    const stats = (await setup.manager.workerStats())[0]!;
    assert.deepEqual({ loops: stats.loops, owners: stats.owners }, { loops: 0, owners: 0 });
  });

  it('ends a cancelled request with its reason even when the loop returns what it has', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const session = await setup.manager.open(plugin, ['decoder'], { signal: controller.signal });
    const running = session.loop(new URL('./fixtures/returns-when-cancelled.ts', import.meta.url), {}, { onEmit: () => controller.abort(new Error('client went away')) });
    await assert.rejects(running, /client went away/);
  });

  it('fails with 503 worker_lost when the worker dies mid-loop, and serves the next request on a new worker', { timeout: 60_000 }, async () => {
    const session = await setup.manager.open(plugin, ['decoder']);
    const error = await session.loop(LOOP, input({ crashAtStep: 3 })).then(() => undefined, (e: unknown) => e);
    assert.ok(isHubError(error), String(error));
    assert.equal(error.code, 'worker_lost');
    assert.equal(error.status, 503);
    const again = await session.run('decoder', { tokens: { type: 'int64', data: BigInt64Array.from([1n]), dims: [1, 1] }, past_k: { type: 'float32', data: new Float32Array(0), dims: [layers, 1, 0, width] }, past_v: { type: 'float32', data: new Float32Array(0), dims: [layers, 1, 0, width] } }).then(() => undefined, (e: unknown) => e);
    assert.ok(isHubError(again) && again.code === 'worker_lost', 'the pinned session stays failed');
    await session.close();
    const fresh = await setup.manager.open(plugin, ['decoder']);
    const result = await fresh.loop<ArResult>(LOOP, input());
    assert.equal(result.tokens.length, 24);
    await fresh.close();
  });
});
