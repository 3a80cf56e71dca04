// A client that hangs up stops Vevo's AR loop in the worker within a step, and no later stage
// (the FM loop) starts for it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SessionManager } from '../../../core/onnx/session-manager.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { DEV_KEY, startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-vevo.json');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Vevo when the client goes away', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY, onnx: { workers: 1 } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('stops the AR loop within a step and starts nothing after it', { timeout: 120_000 }, async () => {
    const manager = hub.container.resolve<SessionManager>('graphs');
    const loops = async () => (await manager.workerStats()).reduce((n, w) => n + w.loops, 0);
    const form = new FormData();
    form.set('flow_matching_steps', '128');
    form.set('source_audio', wavBlobFor({ seconds: 8, sampleRate: 24000, frequency: 180 }), 'source.wav');
    form.set('reference_audio', wavBlobFor({ seconds: 4, sampleRate: 24000, frequency: 220 }), 'reference.wav');
    const controller = new AbortController();
    const fetched = fetch(`${hub.url}/api/vc/vevo-voice`, { method: 'POST', body: form, signal: controller.signal, headers: { 'x-api-key': DEV_KEY } });
    void fetched.catch(() => undefined);
    for (let i = 0; i < 1000 && (await loops()) === 0; i++) await pause(10);
    assert.equal(await loops(), 1, 'the AR loop is running');
    controller.abort();
    // ~1000 smoke AR steps would take minutes; a step on this cache takes well under a second
    const started = performance.now();
    for (let i = 0; i < 500 && (await loops()) > 0; i++) await pause(10);
    assert.equal(await loops(), 0, `the loop still runs ${(performance.now() - started).toFixed(0)} ms after the hang-up`);
    await pause(500);
    assert.equal(await loops(), 0, 'no FM loop started for the gone client');
  });
});
