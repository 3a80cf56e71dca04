// Resident state on real sessions: caches kept in the worker and fed back by id, owned by
// one graph session, freed when it closes or aborts, and refused by name when misused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isHubError, type HubError } from '../../core/errors.ts';
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import type { GraphSession } from '../../core/onnx/resident.ts';
import type { LoadedPlugin } from '../../core/registry/load-registry.ts';
import { arDecoderBytes, arPlugin, SMALL_AR } from '../support/ar-decoder.ts';
import { setupManager, type ManagerSetup } from '../onnx/support/manager.ts';

const { layers, width } = SMALL_AR;
const emptyCache = (): TensorData => ({ type: 'float32', data: new Float32Array(0), dims: [layers, 1, 0, width] });
const ids = (values: number[]): TensorData => ({ type: 'int64', data: BigInt64Array.from(values.map(BigInt)), dims: [1, values.length] });

async function hubErrorOf(promise: Promise<unknown>): Promise<HubError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(isHubError(error), `expected a HubError, got ${String(error)}`);
  return error;
}

describe('resident tensors in a graph session', () => {
  let setup: ManagerSetup;
  let plugin: LoadedPlugin;
  let other: LoadedPlugin;
  before(() => {
    setup = setupManager({ workers: 1 });
    plugin = setup.pluginOf(arPlugin('ar-test'));
    other = setup.pluginOf(arPlugin('ar-other'));
    for (const p of [plugin, other]) setup.write(p, 'decoder.onnx', arDecoderBytes(SMALL_AR));
  });
  after(() => setup.close());

  const open = (p = plugin, signal?: AbortSignal) => setup.manager.open(p, ['decoder'], { signal });

  it('keeps the cache in the worker and gives the same logits as feeding it by value', async () => {
    const session = await open();
    const first = await session.run('decoder', { tokens: ids([1, 2, 3]), past_k: emptyCache(), past_v: emptyCache() }, { keep: { present_k: 'k', present_v: 'v' } });
    assert.deepEqual(Object.keys(first.outputs), ['logits']);
    assert.deepEqual(first.kept.present_k!.dims, [layers, 1, 3, width]);
    const second = await session.run('decoder', { tokens: ids([4]), past_k: first.kept.present_k!, past_v: first.kept.present_v! }, { keep: { present_k: 'k', present_v: 'v' } });
    assert.deepEqual(second.kept.present_k!.dims, [layers, 1, 4, width]);

    // The same two calls with the cache crossing threads each time.
    const decoder = setup.manager.handlesFor(plugin).decoder!;
    const byValue1 = await decoder.run({ tokens: ids([1, 2, 3]), past_k: emptyCache(), past_v: emptyCache() });
    const byValue2 = await decoder.run({ tokens: ids([4]), past_k: byValue1.present_k!, past_v: byValue1.present_v! });
    assert.deepEqual(second.outputs.logits!.data, byValue2.logits!.data);
    await session.close();
  });

  it('makes zero tensors in the worker from their shapes alone, as feeding zeros by value does', async () => {
    const session = await open();
    const shape = { type: 'float32', dims: [layers, 1, 2, width] } as const;
    const made = await session.zeros({ k: shape, v: shape });
    assert.deepEqual(made.k!.dims, shape.dims);
    assert.equal(made.k!.type, 'float32');
    const resident = await session.run('decoder', { tokens: ids([3]), past_k: made.k!, past_v: made.v! });
    const zeros = (): TensorData => ({ type: 'float32', data: new Float32Array(layers * 2 * width), dims: [...shape.dims] });
    const byValue = await setup.manager.handlesFor(plugin).decoder!.run({ tokens: ids([3]), past_k: zeros(), past_v: zeros() });
    assert.deepEqual(resident.outputs.logits!.data, byValue.logits!.data);
    await assert.rejects(session.zeros({ bad: { type: 'float32', dims: [2, -1] } }), /zeros for slot 'bad': .* whole, non-negative dimensions/);
    await session.close();
  });

  it('refuses a resident id from another graph session, and a freed one, by name', async () => {
    const a = await open();
    const b = await open();
    const made = await a.run('decoder', { tokens: ids([5]), past_k: emptyCache(), past_v: emptyCache() }, { keep: { present_k: 'k', present_v: 'v' } });
    const foreign = await hubErrorOf(b.run('decoder', { tokens: ids([6]), past_k: made.kept.present_k!, past_v: made.kept.present_v! }));
    assert.equal(foreign.code, 'resident_foreign');
    assert.match(foreign.message, /belongs to another graph session/);
    // Replacing a slot frees what it held.
    await a.run('decoder', { tokens: ids([6]), past_k: made.kept.present_k!, past_v: made.kept.present_v! }, { keep: { present_k: 'k', present_v: 'v' } });
    const stale = await hubErrorOf(a.run('decoder', { tokens: ids([7]), past_k: made.kept.present_k!, past_v: made.kept.present_v! }));
    assert.equal(stale.code, 'resident_stale');
    await Promise.all([a.close(), b.close()]);
  });

  it("refuses a resident tensor made by another plugin's graphs", async () => {
    const mine = await open();
    const theirs = await open(other);
    const made = await theirs.run('decoder', { tokens: ids([1]), past_k: emptyCache(), past_v: emptyCache() }, { keep: { present_k: 'k', present_v: 'v' } });
    const error = await hubErrorOf(mine.run('decoder', { tokens: ids([2]), past_k: made.kept.present_k!, past_v: made.kept.present_v! }));
    assert.equal(error.code, 'resident_foreign');
    await Promise.all([mine.close(), theirs.close()]);
  });

  it('makes resident tensors stale when their session unloads', async () => {
    const session = await open();
    const made = await session.run('decoder', { tokens: ids([1]), past_k: emptyCache(), past_v: emptyCache() }, { keep: { present_k: 'k', present_v: 'v' } });
    await setup.manager.unload(plugin);
    const error = await hubErrorOf(session.run('decoder', { tokens: ids([2]), past_k: made.kept.present_k!, past_v: made.kept.present_v! }));
    assert.ok(['resident_stale'].includes(error.code), error.message);
    await session.close();
  });

  it('names a resident fed where the contract wants another shape', async () => {
    const session = await open();
    const made = await session.run('decoder', { tokens: ids([1]), past_k: emptyCache(), past_v: emptyCache() }, { keep: { present_k: 'k', present_v: 'v', logits: 'logits' } });
    const error = await hubErrorOf(session.run('decoder', { tokens: ids([2]), past_k: made.kept.logits!, past_v: made.kept.present_v! }));
    assert.equal(error.code, 'graph_feed_invalid');
    assert.match(error.message, /input 'past_k': resident tensor of rank 3/);
    await session.close();
  });

  it('frees everything a session kept when it closes or its request aborts: nothing left after 1,000 aborted requests', { timeout: 120_000 }, async () => {
    const before = (await setup.manager.workerStats())[0]!;
    const sessions: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) {
      const controller = new AbortController();
      sessions.push(
        (async () => {
          const session: GraphSession = await open(plugin, controller.signal);
          const put = session.put({ prompt: ids([i % 60]) });
          const running = session.run('decoder', { tokens: ids([i % 60]), past_k: emptyCache(), past_v: emptyCache() }, { keep: { present_k: 'k', present_v: 'v' } });
          if (i % 2) await running.catch(() => undefined);
          controller.abort(new Error('client went away'));
          await Promise.allSettled([put, running]);
          // No close(): the abort alone must free what the session kept.
        })(),
      );
      if (sessions.length === 50) await Promise.all(sessions.splice(0));
    }
    await Promise.all(sessions);
    const after = (await setup.manager.workerStats())[0]!;
    assert.deepEqual({ residents: after.residents, owners: after.owners, bytes: after.residentBytes }, { residents: before.residents, owners: before.owners, bytes: before.residentBytes });
    assert.equal(setup.manager.status(plugin)[0]!.running, 0);
  });
});
