// VevoSing as an async task over HTTP: `?async=true` answers 202, and progress arrives stage by
// stage (features, fm with one event per Euler step, vocoder) until the task is done.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProgressEvent } from '../../../core/jobs/types.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { assertOrderedProgress, openEventStream, statusOf, submit } from '../../../test/jobs/support.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-vevosing.json');

describe('VevoSing as an async task', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY, jobs: { progressIntervalMs: 0, persistIntervalMs: 0 } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('reports the features, each FM step and the vocoder, then is done', async () => {
    const body = new FormData();
    for (const [k, v] of Object.entries({ use_shifted_src: true, flow_matching_steps: 3, seed: 2 })) body.set(k, String(v));
    body.set('content_audio', wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 200 }), 'content.wav');
    body.set('reference_audio', wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 250 }), 'reference.wav');
    const task = await submit(hub, '/svc/vevosing', body, { query: '?async=true' });
    const events: ProgressEvent[] = await (await openEventStream(hub, task.task_id)).events;
    assertOrderedProgress(events);
    assert.equal(events.at(-1)!.status, 'done');
    const running = events.filter((e) => e.status === 'running' && e.stage !== undefined && e.stage !== 'running');
    assert.deepEqual([...new Set(running.map((e) => e.stage))], ['features', 'fm', 'vocoder']);
    assert.deepEqual(running.filter((e) => e.stage === 'fm').map((e) => e.message), ['fm', 'fm 1 of 3', 'fm 2 of 3', 'fm 3 of 3', 'fm done']);
    assert.equal((await statusOf(hub, task.task_id)).status, 'done');
  });
});
