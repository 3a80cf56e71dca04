// Metis as an async task: progress arrives per graph step through its own T2S and MaskGCT's
// stages, and a cancelled synthesis stops between steps.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProgressEvent } from '../../../core/jobs/types.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { assertOrderedProgress, openEventStream, submit, waitForStatus } from '../../../test/jobs/support.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-metis.json');

function form(fields: Record<string, string | number>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  body.set('reference_audio', wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 180 }), 'reference.wav');
  return body;
}

describe('Metis as an async task', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY, jobs: { progressIntervalMs: 0, persistIntervalMs: 0, plugins: { metis: { concurrency: 1, queueBound: 4 } } } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('reports progress per step through every stage, and stops a cancelled synthesis between steps', async () => {
    const base = { text: 'Hello from the hub.', reference_text: 'This is the reference voice.' };
    const long = await submit(hub, '/tts/metis', form({ ...base, n_timesteps: 100, target_duration: 30, seed: 1 }), { query: '?async=true' });
    await waitForStatus(hub, long.task_id, (t) => t.status === 'running' && t.stage === 't2s');
    const task = await submit(hub, '/tts/metis', form({ ...base, n_timesteps: 2, target_duration: 1, seed: 2 }), { query: '?async=true' });
    const stream = await openEventStream(hub, task.task_id);

    assert.equal((await hub.call(`/api/tasks/${long.task_id}/cancel`, { method: 'POST' })).status, 202);
    const cancelled = await waitForStatus(hub, long.task_id, (t) => t.status !== 'running');
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.progress < 0.5, `stopped during T2S, at ${cancelled.progress}`);

    const events: ProgressEvent[] = await stream.events;
    assertOrderedProgress(events);
    assert.equal(events.at(-1)!.status, 'done');
    const running = events.filter((e) => e.status === 'running' && e.stage !== undefined);
    assert.deepEqual([...new Set(running.map((e) => e.stage))].filter((s) => ['semantic', 'acoustic', 't2s', 's2a', 'decode'].includes(s!)), ['semantic', 'acoustic', 't2s', 's2a', 'decode']);
    // Metis' S2A schedule: 40 + 16 + 10 × 1 steps (49 target frames: no layer's schedule reaches 0 masked early)
    assert.equal(running.filter((e) => e.stage === 's2a').length, 66);
  });
});
