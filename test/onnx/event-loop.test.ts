// Sessions run in worker threads, so a long graph run must not stall the main event loop:
// /api/health keeps answering while the slow-model fixture computes for about a second.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { TestHub } from '../support/test-hub.ts';
import { SIZE } from './fixtures/slow-model/index.ts';
import { fixtureEntry, postJson, startOnnxHub } from './support/hub.ts';
import { slowGraphBytes } from './support/slow-graph.ts';

describe('while a slow graph runs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startOnnxHub([fixtureEntry('slow-model')], { onnx: { workers: 1 } });
    const dir = join(hub.dataDir, 'models', 'slow-model');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'work.onnx'), slowGraphBytes({ size: SIZE, repeats: 800 }));
    await postJson(hub, '/api/models/load', { model_name: 'slow-model' }).then((r) => r.arrayBuffer());
  });
  after(() => hub.stop());

  it('the event loop keeps answering /api/health', { timeout: 120_000 }, async (t) => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let finished = false;
    const slow = postJson(hub, '/api/audio/slow-model').then(async (res) => {
      finished = true;
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()) as { ms: number };
    });
    const healthMs: number[] = [];
    while (!finished) {
      const started = performance.now();
      const res = await hub.call('/api/health');
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      healthMs.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { ms: runMs } = await slow;
    delay.disable();
    const maxDelayMs = delay.max / 1e6;
    const maxHealthMs = Math.max(...healthMs);
    t.diagnostic(`graph run ${runMs.toFixed(0)} ms; ${healthMs.length} health checks meanwhile, slowest ${maxHealthMs.toFixed(1)} ms; max event-loop delay ${maxDelayMs.toFixed(1)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms)`);
    // Relative bounds only: on the main thread the run would block for all of runMs.
    assert.ok(healthMs.length >= 5, `only ${healthMs.length} health checks answered during a ${runMs.toFixed(0)} ms run`);
    assert.ok(maxHealthMs < runMs / 2, `a health check took ${maxHealthMs.toFixed(0)} ms during a ${runMs.toFixed(0)} ms run`);
    assert.ok(maxDelayMs < runMs / 2, `the event loop stalled ${maxDelayMs.toFixed(0)} ms during a ${runMs.toFixed(0)} ms run`);
  });
});
