// Dynamic batching on real sessions: concurrent runs of a graph whose contract marks a batch
// axis share one session.run when their shapes agree, and each gets back exactly (bit for
// bit) what its own run gives; different lengths go to different batches.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { concatAlong, splitAlong } from '../../core/onnx/batch-tensors.ts';
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import { smokeGraphBytes } from '../../core/onnx/smoke-graph.ts';
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import type { GraphContract, PluginDecl } from '../../core/plugin/types.ts';
import type { LoadedPlugin } from '../../core/registry/load-registry.ts';
import { setupManager, type ManagerSetup } from '../onnx/support/manager.ts';

const generator = {
  file: 'generator.onnx',
  inputs: [{ name: 'mel', type: 'float32', dims: ['batch', 80, 'frames'] }],
  outputs: [{ name: 'audio', type: 'float32', dims: ['batch', 1, 'frames*256'] }],
  batch: { axis: 'batch' },
} as const satisfies GraphContract;

const coder = {
  file: 'coder.onnx',
  inputs: [
    { name: 'wav', type: 'float32', dims: ['batch', 'samples'] },
    { name: 'level', type: 'int64', dims: [1] },
  ],
  outputs: [{ name: 'codes', type: 'int64', dims: ['batch', 'samples/320'], vocab: 1024 }],
  batch: { axis: 'batch' },
} as const satisfies GraphContract;

const decl = definePlugin({ name: 'batch-test', title: 'Batch test', task: 'vocoder', summary: 'batching fixture', license: 'Apache-2.0', sampleRate: 22050, graphs: { generator, coder }, routes: [] }) as PluginDecl;

const mel = (frames: number, seed: number): Record<string, TensorData> => ({ mel: { type: 'float32', data: Float32Array.from({ length: 80 * frames }, (_, i) => Math.sin(i * 0.01 * seed) * 0.5), dims: [1, 80, frames] } });
const wav = (seed: number, level = 2): Record<string, TensorData> => ({
  wav: { type: 'float32', data: Float32Array.from({ length: 3200 }, (_, i) => Math.cos(i * 0.003 * seed)), dims: [1, 3200] },
  level: { type: 'int64', data: BigInt64Array.of(BigInt(level)), dims: [1] },
});

function install(setup: ManagerSetup): LoadedPlugin {
  const plugin = setup.pluginOf(decl);
  setup.write(plugin, 'generator.onnx', smokeGraphBytes(generator, { plugin: 'batch-test', graph: 'generator' }));
  setup.write(plugin, 'coder.onnx', smokeGraphBytes(coder, { plugin: 'batch-test', graph: 'coder' }));
  return plugin;
}

describe('dynamic batching', () => {
  let batched: ManagerSetup;
  let single: ManagerSetup;
  let plugin: LoadedPlugin;
  let reference: LoadedPlugin;
  before(() => {
    // A long window, so concurrent submissions surely meet even on a loaded machine.
    batched = setupManager({ workers: 1, batchWindowMs: 50, maxBatch: 8 });
    single = setupManager({ workers: 1, maxBatch: 1 });
    plugin = install(batched);
    reference = install(single);
  });
  after(async () => {
    await batched.close();
    await single.close();
  });

  const status = (graph: string) => batched.manager.status(plugin).find((g) => g.name === graph)!;

  it('runs concurrent same-shape requests as one batch, each result bit-identical to its own run', async () => {
    const seeds = [1, 2, 3, 4, 5, 6];
    const together = await Promise.all(seeds.map((s) => batched.manager.handlesFor(plugin).generator!.run(mel(12, s))));
    const alone: Record<string, TensorData>[] = [];
    for (const s of seeds) alone.push(await single.manager.handlesFor(reference).generator!.run(mel(12, s)));
    together.forEach((out, i) => {
      assert.deepEqual(out.audio!.dims, [1, 1, 12 * 256]);
      assert.deepEqual(out.audio!.data, alone[i]!.audio!.data, `request ${i}`);
    });
    assert.notDeepEqual(together[0]!.audio!.data, together[1]!.audio!.data, 'different inputs, different outputs');
    const stats = status('generator').batching!;
    assert.equal(stats.submitted, 6);
    assert.ok(stats.batches < 6 && stats.largest > 1, JSON.stringify(stats));
  });

  it('keeps lengths apart, and tensors without the axis must agree to share a batch', async () => {
    const before = status('coder').batching!.batches;
    const runs = [wav(1), wav(2), wav(3, 5), wav(4, 5)].map((f) => batched.manager.handlesFor(plugin).coder!.run(f));
    const mels = [mel(8, 1), mel(9, 2), mel(8, 3)].map((f) => batched.manager.handlesFor(plugin).generator!.run(f));
    const [codes, audio] = [await Promise.all(runs), await Promise.all(mels)];
    const expectedCodes: Record<string, TensorData>[] = [];
    for (const f of [wav(1), wav(2), wav(3, 5), wav(4, 5)]) expectedCodes.push(await single.manager.handlesFor(reference).coder!.run(f));
    codes.forEach((out, i) => assert.deepEqual(out.codes!.data, expectedCodes[i]!.codes!.data, `coder request ${i}`));
    assert.deepEqual(audio.map((a) => a.audio!.dims[2]), [8 * 256, 9 * 256, 8 * 256]);
    assert.equal(status('coder').batching!.batches - before, 2, 'one batch per level value');
  });

  it('drops a request whose caller aborts while it waits for its batch', async () => {
    const controller = new AbortController();
    const handle = batched.manager.handlesFor(plugin).generator!;
    const kept = handle.run(mel(5, 1));
    const dropped = handle.run(mel(5, 2), { signal: controller.signal });
    controller.abort(new Error('client went away'));
    await assert.rejects(dropped, /client went away/);
    assert.deepEqual((await kept).audio!.data, (await single.manager.handlesFor(reference).generator!.run(mel(5, 1))).audio!.data);
  });

  it('runs a full batch once, and feeds handed over with transferFeeds go in it intact', async () => {
    const handle = batched.manager.handlesFor(plugin).generator!;
    const before = status('generator');
    const seeds = [11, 12, 13, 14, 15, 16, 17, 18]; // maxBatch: the group is full and goes at once
    const together = await Promise.all(seeds.map((s) => handle.run(mel(7, s), { transferFeeds: true })));
    const after = status('generator');
    assert.equal(after.batching!.batches - before.batching!.batches, 1, JSON.stringify(after.batching));
    assert.equal(after.runs - before.runs, 1, 'one session run for the full batch, not a second one from its start timer');
    for (const [i, s] of seeds.entries()) {
      const alone = await single.manager.handlesFor(reference).generator!.run(mel(7, s));
      assert.deepEqual(together[i]!.audio!.data, alone.audio!.data, `request ${i}`);
    }
    // A later batch still runs (a second run of moved feeds once left the graph's queue stuck).
    const again = await Promise.all([1, 2].map((s) => handle.run(mel(7, s), { transferFeeds: true })));
    assert.equal(again.length, 2);
  });

  it('concatenates and splits along any axis', () => {
    const a: TensorData = { type: 'float32', data: Float32Array.of(1, 2, 3, 4), dims: [2, 2] };
    const b: TensorData = { type: 'float32', data: Float32Array.of(5, 6), dims: [2, 1] };
    const joined = concatAlong([a, b], 1);
    assert.deepEqual([...joined.data], [1, 2, 5, 3, 4, 6]);
    const [a2, b2] = splitAlong(joined, 1, [2, 1]);
    assert.deepEqual([[...a2!.data], [...b2!.data]], [[1, 2, 3, 4], [5, 6]]);
  });
});
