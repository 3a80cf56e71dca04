// DualCodec-VALL-E as an async task: progress per AR token and per NAR layer, and a cancelled
// synthesis stops its AR loop (in the worker) within a step.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProgressEvent } from '../../../core/jobs/types.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { assertOrderedProgress, openEventStream, submit, waitForStatus } from '../../../test/jobs/support.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-valle.json');

function form(fields: Record<string, string | number>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  body.set('reference_audio', wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 180 }), 'reference.wav');
  return body;
}

describe('DualCodec-VALL-E as an async task', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY, jobs: { progressIntervalMs: 0, persistIntervalMs: 0, plugins: { 'dualcodec-valle': { concurrency: 1, queueBound: 4 } } } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('reports progress per token and per layer, and stops a cancelled AR loop within a step', async () => {
    const base = { text: 'Hello from the hub.', reference_text: 'This is the reference voice.' };
    // no max_duration: the smoke AR never says EOS, so this runs until its ~960-token window is used up
    const long = await submit(hub, '/tts/dualcodec-valle', form({ ...base, seed: 1 }), { query: '?async=true' });
    await waitForStatus(hub, long.task_id, (t) => t.status === 'running' && t.stage === 'ar');
    const task = await submit(hub, '/tts/dualcodec-valle', form({ ...base, max_duration: 0.4, seed: 2 }), { query: '?async=true' });
    const stream = await openEventStream(hub, task.task_id);

    const started = performance.now();
    assert.equal((await hub.call(`/api/tasks/${long.task_id}/cancel`, { method: 'POST' })).status, 202);
    const cancelled = await waitForStatus(hub, long.task_id, (t) => t.status !== 'running');
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.progress < 0.5, `stopped during the AR stage, at ${cancelled.progress}`);
    assert.ok(performance.now() - started < 5000, 'the loop stopped within a step, not at the end of its window');

    const events: ProgressEvent[] = await stream.events;
    assertOrderedProgress(events);
    assert.equal(events.at(-1)!.status, 'done');
    const running = events.filter((e) => e.status === 'running' && e.stage !== undefined);
    assert.deepEqual([...new Set(running.map((e) => e.stage))].filter((s) => ['encode', 'ar', 'nar', 'decode'].includes(s!)), ['encode', 'ar', 'nar', 'decode']);
    assert.deepEqual(running.filter((e) => e.stage === 'nar').map((e) => e.message), [1, 2, 3, 4, 5, 6, 7].map((l) => `layer ${l} of 7`));
  });
});
