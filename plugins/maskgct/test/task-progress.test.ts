// MaskGCT as an async task: progress arrives per graph step, stage by stage, and a
// cancelled synthesis stops between steps.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProgressEvent } from '../../../core/jobs/types.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { assertOrderedProgress, openEventStream, statusOf, submit, waitForStatus } from '../../../test/jobs/support.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-maskgct.json');

function form(fields: Record<string, string | number>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  body.set('reference_audio', wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 180 }), 'reference.wav');
  return body;
}

describe('MaskGCT as an async task', () => {
  let hub: TestHub;
  before(async () => {
    // one synthesis at a time, so a second task waits in the queue while a first one runs
    hub = await startTestHub({ registry: REGISTRY, jobs: { progressIntervalMs: 0, persistIntervalMs: 0, plugins: { maskgct: { concurrency: 1, queueBound: 4 } } } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('reports progress per step through every stage, and stops a cancelled synthesis between steps', async () => {
    const base = { text: 'Hello from the hub.', reference_text: 'This is the reference voice.' };
    // a long first task holds the only slot...
    const long = await submit(hub, '/tts/maskgct', form({ ...base, n_timesteps: 100, target_duration: 30, seed: 1 }), { query: '?async=true' });
    await waitForStatus(hub, long.task_id, (t) => t.status === 'running' && t.stage === 't2s');
    // ...so the measured task is still queued when its event stream opens: no event is missed
    const task = await submit(hub, '/tts/maskgct', form({ ...base, n_timesteps: 3, target_duration: 0.5, seed: 2 }), { query: '?async=true' });
    const stream = await openEventStream(hub, task.task_id);

    const cancel = await hub.call(`/api/tasks/${long.task_id}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 202);
    const cancelled = await waitForStatus(hub, long.task_id, (t) => t.status !== 'running');
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.progress < 1, 'stopped before the end');

    const events: ProgressEvent[] = await stream.events;
    assertOrderedProgress(events);
    const last = events.at(-1)!;
    assert.equal(last.status, 'done');
    assert.equal(last.progress, 1);
    const running = events.filter((e) => e.status === 'running' && e.stage !== undefined);
    const stages = [...new Set(running.map((e) => e.stage))];
    assert.deepEqual(stages.filter((s) => ['semantic', 'acoustic', 't2s', 's2a', 'decode'].includes(s!)), ['semantic', 'acoustic', 't2s', 's2a', 'decode']);
    // one event per T2S step, naming the step and how many tokens went in masked
    assert.deepEqual(running.filter((e) => e.stage === 't2s').map((e) => e.message), ['t2s step 1, of 3, masked 25', 't2s step 2, of 3, masked 21', 't2s step 3, of 3, masked 12']);
    // 25 + 10 + 10 × 1 S2A steps
    assert.equal(running.filter((e) => e.stage === 's2a').length, 45);
    assert.equal((await statusOf(hub, task.task_id)).status, 'done');
    const result = await hub.call(`/api/tasks/${task.task_id}/result`);
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('content-type'), 'audio/wav');
  });
});
