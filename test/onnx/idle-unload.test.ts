// Sessions nobody runs are released after onnx.idleUnloadSeconds (issue 26 §0.9: idle graph
// sessions held the hub's memory), and the next call loads them again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { installSmokeWeights } from '../../core/onnx/smoke-install.ts';
import type { WeightInspector } from '../../core/onnx/providers.ts';
import type { PluginRuntime } from '../../core/plugin/runtime.ts';
import { fixtureEntry, postJson, startOnnxHub } from './support/hub.ts';

describe('idle sessions', () => {
  it('are unloaded once idle for the configured time, and load again on the next call', { timeout: 60_000 }, async () => {
    const hub = await startOnnxHub([fixtureEntry('smoke-vocoder')], { onnx: { workers: 1, idleUnloadSeconds: 4 } });
    try {
      const plugin = hub.container.resolve<PluginRuntime>('runtime').get('smoke-vocoder')!;
      installSmokeWeights(hub.container.resolve<WeightInspector>('weights').dir(plugin), plugin);
      const loaded = async () => {
        const { models } = (await (await hub.call('/api/models/status')).json()) as { models: { model_name: string; graphs: { loaded: boolean }[] }[] };
        return models.find((m) => m.model_name === 'smoke-vocoder')!.graphs.some((g) => g.loaded);
      };
      const vocode = async () => {
        const res = await postJson(hub, '/api/vocoder/smoke-vocoder', { frames: 2 });
        assert.equal(res.status, 200, await res.clone().text());
        await res.arrayBuffer();
      };
      const calledAt = performance.now(); // the run ends after this, and idleness counts from the run
      await vocode();
      const stillLoaded = await loaded();
      // on a starved machine the call and this look can take the whole idle time themselves
      if (performance.now() - calledAt < 3000) assert.equal(stillLoaded, true, 'loaded by the call (4 s of idle time have not passed)');
      while ((await loaded()) && performance.now() - calledAt < 30_000) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await loaded(), false, 'unloaded after being idle');
      assert.ok(performance.now() - calledAt >= 4000, 'not before the idle time');
      await vocode();
      assert.equal(await loaded(), true, 'loaded again by the next call');
    } finally {
      await hub.stop();
    }
  });
});
