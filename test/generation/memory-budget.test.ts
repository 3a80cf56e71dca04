// The session memory budget on real sessions: a load that would pass it unloads the least
// recently used idle plugin first (and says why in the status); a load that can never fit
// is refused with 507 naming the budget; sessions in use are never unloaded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isHubError, type HubError } from '../../core/errors.ts';
import { budgetBytes, planRoom } from '../../core/onnx/memory-budget.ts';
import type { LoadedPlugin } from '../../core/registry/load-registry.ts';
import { arDecoderBytes, arPlugin, SMALL_AR } from '../support/ar-decoder.ts';
import { setupManager, type ManagerSetup } from '../onnx/support/manager.ts';

const MiB = 1024 * 1024;

async function hubErrorOf(promise: Promise<unknown>): Promise<HubError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(isHubError(error), `expected a HubError, got ${String(error)}`);
  return error;
}

describe('the session memory budget', () => {
  let setup: ManagerSetup;
  const plugins: Record<string, LoadedPlugin> = {};
  before(() => {
    setup = setupManager({ workers: 1, memoryBudgetMb: 8 });
    for (const [name, mb] of [['first', 3], ['second', 3], ['third', 3], ['huge', 20]] as const) {
      plugins[name] = setup.pluginOf(arPlugin(`budget-${name}`, SMALL_AR, mb));
      setup.write(plugins[name], 'decoder.onnx', arDecoderBytes(SMALL_AR));
    }
  });
  after(() => setup.close());

  const graph = (name: string) => setup.manager.status(plugins[name]!)[0]!;

  it('unloads the least recently used idle plugin to make room, and says why', async () => {
    await setup.manager.load(plugins.first!);
    await setup.manager.load(plugins.second!);
    assert.equal(graph('first').residentBytes, 3 * MiB);
    // first was used after second: second is the least recently used.
    const empty = { type: 'float32', data: new Float32Array(0), dims: [SMALL_AR.layers, 1, 0, SMALL_AR.width] } as const;
    await setup.manager.handlesFor(plugins.first!).decoder!.run({ tokens: { type: 'int64', data: BigInt64Array.of(1n), dims: [1, 1] }, past_k: empty, past_v: empty });
    await setup.manager.load(plugins.third!);
    assert.equal(graph('second').loaded, false);
    assert.equal(graph('second').residentBytes, 0);
    assert.match(graph('second').eviction!.reason, /^unloaded to make room for plugin 'budget-third' graph 'decoder' needs 3 MiB \(1 × 3 MiB\) \(budget 8 MiB, 6 MiB in use\)$/);
    assert.ok(graph('first').loaded && graph('third').loaded);
  });

  it('refuses a load that could never fit with 507 naming the budget', async () => {
    const error = await hubErrorOf(setup.manager.load(plugins.huge!));
    assert.equal(error.status, 507);
    assert.equal(error.code, 'insufficient_memory');
    assert.match(error.message, /needs 20 MiB .* more than the whole session memory budget of 8 MiB \(onnx.memoryBudgetMb, env HUB_ONNX_MEMORY_BUDGET_MB\)/);
    assert.ok(graph('first').loaded && graph('third').loaded, 'nothing unloaded for a load that cannot fit');
  });

  it('never unloads sessions in use: the load waits its turn with a 503', async () => {
    const holdFirst = await setup.manager.open(plugins.first!, ['decoder']);
    const holdThird = await setup.manager.open(plugins.third!, ['decoder']);
    const error = await hubErrorOf(setup.manager.load(plugins.second!));
    assert.equal(error.status, 503);
    assert.match(error.message, /6 of the 8 MiB session memory budget are held by sessions in use right now/);
    assert.ok(graph('first').loaded && graph('third').loaded);
    await holdThird.close();
    await setup.manager.load(plugins.second!);
    assert.equal(graph('third').loaded, false, 'the idle one made room');
    assert.ok(graph('first').loaded);
    await holdFirst.close();
  });

  it('defaults to 70 % of the free memory, and plans least recently used first', () => {
    assert.equal(budgetBytes({ memoryBudgetMb: 0 }, 1000 * MiB), 700 * MiB);
    assert.equal(budgetBytes({ memoryBudgetMb: 64 }, 1000 * MiB), 64 * MiB);
    const plan = planRoom(10, 4, 'x', [
      { key: 'a/g', plugin: 'a', bytes: 4, lastUsed: 5, busy: false },
      { key: 'b/g', plugin: 'b', bytes: 4, lastUsed: 2, busy: false },
    ]);
    assert.deepEqual(plan.kind === 'fits' && plan.evict.map((r) => r.key), ['b/g']);
  });
});
