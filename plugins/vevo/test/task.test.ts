// Vevo as an async task over HTTP: progress arrives per AR token and per FM step, stage by
// stage, and a cancelled conversion stops its loop (the AR or FM loop in the worker).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProgressEvent } from '../../../core/jobs/types.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { assertOrderedProgress, openEventStream, statusOf, submit, waitForStatus } from '../../../test/jobs/support.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-vevo.json');

function form(fields: Record<string, string | number>, source: number, reference: number): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  body.set('source_audio', wavBlobFor({ seconds: source, sampleRate: 24000, frequency: 180 }), 'source.wav');
  body.set('reference_audio', wavBlobFor({ seconds: reference, sampleRate: 24000, frequency: 220 }), 'reference.wav');
  return body;
}

describe('Vevo as an async task', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY, jobs: { progressIntervalMs: 0, persistIntervalMs: 0, plugins: { vevo: { concurrency: 1, queueBound: 4 } } } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('reports each AR token and FM step in its stage, and stops a cancelled conversion inside its loop', async () => {
    // a long conversion holds the only slot: ~1000 AR tokens on a growing cache, then 128 FM steps
    const long = await submit(hub, '/vc/vevo-voice', form({ flow_matching_steps: 128, seed: 1 }, 8, 4), { query: '?async=true' });
    await waitForStatus(hub, long.task_id, (t) => t.status === 'running' && t.stage === 'ar');
    const measured = await submit(hub, '/vc/vevo-voice', form({ flow_matching_steps: 3, max_new_tokens: 4, seed: 2 }, 1, 1), { query: '?async=true' });
    const stream = await openEventStream(hub, measured.task_id);

    const cancel = await hub.call(`/api/tasks/${long.task_id}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 202);
    const cancelled = await waitForStatus(hub, long.task_id, (t) => t.status !== 'running');
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.progress < 0.5, `stopped inside the AR stage (its slice ends at 0.5), progress ${cancelled.progress}`);

    const events: ProgressEvent[] = await stream.events;
    assertOrderedProgress(events);
    assert.equal(events.at(-1)!.status, 'done');
    const running = events.filter((e) => e.status === 'running' && e.stage !== undefined);
    assert.deepEqual([...new Set(running.map((e) => e.stage))].filter((s) => s !== 'running'), ['features', 'ar', 'fm', 'vocoder']);
    const messages = (stage: string) => running.filter((e) => e.stage === stage).map((e) => e.message);
    assert.deepEqual(messages('ar'), ['ar', 'ar 1 of 4', 'ar 2 of 4', 'ar 3 of 4', 'ar 4 of 4', 'ar done']);
    assert.deepEqual(messages('fm'), ['fm', 'fm 1 of 3', 'fm 2 of 3', 'fm 3 of 3', 'fm done']);
    assert.equal((await statusOf(hub, measured.task_id)).status, 'done');
  });
});
