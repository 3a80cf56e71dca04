// onnxruntime's bundled telemetry SDK leaves an empty mat-debug-<pid>.log in the temp folder
// of every process that creates a session (issue 26 §0.8): the hub removes its own at close.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { installSmokeWeights } from '../../core/onnx/smoke-install.ts';
import { runtimeDebugLogPaths } from '../../core/onnx/runtime-debug-log.ts';
import type { WeightInspector } from '../../core/onnx/providers.ts';
import type { PluginRuntime } from '../../core/plugin/runtime.ts';
import { fixtureEntry, postJson, startOnnxHub } from './support/hub.ts';

describe("onnxruntime's debug log in the temp folder", () => {
  it('appears when a session is made, and is gone once the hub has closed', { timeout: 60_000 }, async () => {
    const hub = await startOnnxHub([fixtureEntry('smoke-vocoder')], { onnx: { workers: 1 } });
    let seen = false;
    try {
      const plugin = hub.container.resolve<PluginRuntime>('runtime').get('smoke-vocoder')!;
      const weights = hub.container.resolve<WeightInspector>('weights');
      installSmokeWeights(weights.dir(plugin), plugin);
      const res = await postJson(hub, '/api/vocoder/smoke-vocoder', { frames: 2 });
      assert.equal(res.status, 200, await res.clone().text());
      await res.arrayBuffer();
      // the SDK opens the file from a thread of its own, so on a busy machine it comes a little later
      for (let waited = 0; waited < 10_000 && !seen; waited += 50) {
        seen = runtimeDebugLogPaths().some((path) => existsSync(path));
        if (!seen) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await hub.stop();
    }
    // The SDK makes no file when CI is set (measured: a session made under CI=true left none),
    // so only a run outside CI can see it appear; every run checks that none is left.
    if (!process.env.CI) assert.ok(seen, 'the session created the file (if this fails, onnxruntime stopped making it: drop the clean-up)');
    assert.deepEqual(runtimeDebugLogPaths().filter((path) => existsSync(path)), []);
  });
});
