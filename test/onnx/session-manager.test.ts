import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isHubError, type HubError } from '../../core/errors.ts';
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import { installSmokeWeights } from '../../core/onnx/smoke-install.ts';
import slowModel, { SIZE } from './fixtures/slow-model/index.ts';
import smokeVocoder from './fixtures/smoke-vocoder/index.ts';
import { setupManager, type ManagerSetup } from './support/manager.ts';
import { slowGraphBytes } from './support/slow-graph.ts';

const mel = (frames: number): Record<string, TensorData> => ({ mel: { type: 'float32', data: new Float32Array(80 * frames).fill(0.5), dims: [1, 80, frames] } });
const slowFeeds = (): Record<string, TensorData> => ({ x: { type: 'float32', data: new Float32Array(SIZE * SIZE).fill(0.01), dims: [SIZE, SIZE] } });

async function hubErrorOf(promise: Promise<unknown>): Promise<HubError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(isHubError(error), `expected a HubError, got ${String(error)}`);
  return error;
}

describe('the session manager', () => {
  let setup: ManagerSetup;
  before(() => {
    setup = setupManager({ executionProviders: ['cuda', 'tensorrt', 'cpu'], workers: 2, concurrency: 1, graphs: { 'smoke-vocoder/tokenizer': { concurrency: 2 } } });
  });
  after(() => setup.close());

  it('loads a graph on its first run and reports what it got, falling back to CPU with a warning', async () => {
    const plugin = setup.pluginOf(smokeVocoder);
    installSmokeWeights(setup.weights.dir(plugin), plugin);
    assert.equal(setup.manager.status(plugin).find((g) => g.name === 'decoder')?.loaded, false);
    const { audio } = await setup.manager.handlesFor(plugin).decoder!.run(mel(3));
    assert.deepEqual(audio!.dims, [1, 1, 768]);
    const decoder = setup.manager.status(plugin).find((g) => g.name === 'decoder')!;
    assert.deepEqual({ loaded: decoder.loaded, providers: decoder.providers, runs: decoder.runs }, { loaded: true, providers: ['cpu'], runs: 1 });
    const warnings = setup.logs.filter((l) => l.msg === 'execution provider fallback').map((l) => String(l.warning));
    assert.ok(warnings.some((w) => w.includes("'cuda' unavailable")), warnings.join('\n'));
    assert.ok(warnings.some((w) => w.includes("'tensorrt' unavailable")), warnings.join('\n'));
  });

  it('loads every graph on an explicit load, one copy per allowed concurrent run, and unloads them', async () => {
    const plugin = setup.pluginOf(smokeVocoder);
    const loaded = await setup.manager.load(plugin);
    assert.deepEqual(loaded.map((g) => [g.name, g.providers.length]), [['decoder', 1], ['tokenizer', 2]]);
    await setup.manager.unload(plugin);
    assert.ok(setup.manager.status(plugin).every((g) => !g.loaded && g.providers.length === 0));
    const { codes } = await setup.manager.handlesFor(plugin).tokenizer!.run({
      wav: { type: 'float32', data: new Float32Array(640), dims: [1, 640] },
      speaker: { type: 'int64', data: BigInt64Array.from([1n]), dims: [1] },
    });
    assert.deepEqual(codes!.dims, [1, 2]);
    assert.ok(setup.manager.status(plugin).find((g) => g.name === 'tokenizer')!.loaded, 'loaded again by the run');
  });

  it('refuses wrong feeds with graph_feed_invalid and logs what is wrong', async () => {
    const plugin = setup.pluginOf(smokeVocoder);
    const error = await hubErrorOf(setup.manager.handlesFor(plugin).decoder!.run({ mel: { type: 'float32', data: new Float32Array(80 * 4), dims: [1, 4, 80] } }));
    assert.equal(error.code, 'graph_feed_invalid');
    assert.equal(error.status, 500);
    assert.equal(error.message, "plugin 'smoke-vocoder' graph 'decoder' was fed wrong tensors: input 'mel': dim 1 is 4, contract says 80");
    assert.ok(setup.logs.some((l) => l.msg === 'plugin fed a graph wrong tensors' && l.graph === 'decoder'));
  });

  it('copies a feed that is a view on a larger buffer, leaving the caller its array', async () => {
    const plugin = setup.pluginOf(smokeVocoder);
    const big = new Float32Array(80 * 10 + 7).fill(0.25);
    const view = big.subarray(7);
    await setup.manager.handlesFor(plugin).decoder!.run({ mel: { type: 'float32', data: view, dims: [1, 80, 10] } });
    assert.equal(view.length, 800);
    const moved = new Float32Array(80 * 2);
    await setup.manager.handlesFor(plugin).decoder!.run({ mel: { type: 'float32', data: moved, dims: [1, 80, 2] } }, { transferFeeds: true });
    assert.equal(moved.length, 0, 'transferred feeds are detached');
  });
});

describe('admission to a busy graph', () => {
  let setup: ManagerSetup;
  before(() => {
    setup = setupManager({ workers: 1, concurrency: 1, queueSize: 1, queueDeadlineMs: 60_000, graphs: { 'slow-model/work': { queueSize: 1 } } });
  });
  after(() => setup.close());

  const slowPlugin = () => {
    const plugin = setup.pluginOf(slowModel);
    setup.write(plugin, 'work.onnx', slowGraphBytes({ size: SIZE, repeats: 300 }));
    return plugin;
  };

  it('answers 503 with Retry-After when the line is full, and still runs the ones it admitted', async () => {
    const work = setup.manager.handlesFor(slowPlugin()).work!;
    const runs = [work.run(slowFeeds()), work.run(slowFeeds()), work.run(slowFeeds())];
    const third = await hubErrorOf(runs[2]!);
    assert.equal(third.code, 'overloaded');
    assert.equal(third.status, 503);
    assert.match(third.headers['Retry-After'] ?? '', /^[1-9]\d*$/);
    assert.match(third.message, /^graph 'work' of plugin 'slow-model' is busy; retry after \d+ s$/);
    const [first, second] = await Promise.all(runs.slice(0, 2));
    assert.deepEqual(first!.y!.dims, [SIZE, SIZE]);
    assert.deepEqual(second!.y!.dims, [SIZE, SIZE]);
  });

  it('drops a waiting run whose caller aborts, with the abort reason', async () => {
    const work = setup.manager.handlesFor(slowPlugin()).work!;
    const controller = new AbortController();
    const running = work.run(slowFeeds());
    const waiting = work.run(slowFeeds(), { signal: controller.signal });
    controller.abort(new Error('client went away'));
    await assert.rejects(waiting, /client went away/);
    await running;
    assert.equal(setup.manager.status(setup.pluginOf(slowModel))[0]!.queued, 0);
  });
});

describe('a queue deadline', () => {
  it('answers 503 with Retry-After to a run that waited past it', async () => {
    const setup = setupManager({ workers: 1, concurrency: 1, queueSize: 8, queueDeadlineMs: 20 });
    try {
      const plugin = setup.pluginOf(slowModel);
      setup.write(plugin, 'work.onnx', slowGraphBytes({ size: SIZE, repeats: 300 }));
      const work = setup.manager.handlesFor(plugin).work!;
      const first = work.run(slowFeeds());
      const late = await hubErrorOf(work.run(slowFeeds()));
      assert.equal(late.code, 'overloaded');
      assert.ok(late.headers['Retry-After']);
      await first;
    } finally {
      await setup.close();
    }
  });

  it('fails runs still waiting when the manager shuts down', async () => {
    const setup = setupManager({ workers: 1, concurrency: 1, queueSize: 8 });
    const plugin = setup.pluginOf(slowModel);
    setup.write(plugin, 'work.onnx', slowGraphBytes({ size: SIZE, repeats: 300 }));
    const work = setup.manager.handlesFor(plugin).work!;
    const first = work.run(slowFeeds()).catch((e: unknown) => e);
    const waiting = work.run(slowFeeds()).catch((e: unknown) => e);
    await setup.close();
    const error = (await waiting) as HubError;
    assert.equal(error.code, 'unavailable');
    assert.ok(await first, 'the running call settles too');
  });
});
