// A generation is a hub task: its progress can be followed while it runs, and cancelling
// it — through the tasks API, or by hanging up on a waiting call — stops the engine and
// leaves no history row and no audio file.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readEvents } from '../onnx/support/sse.ts';
import type { TestHub } from '../support/test-hub.ts';
import { json, ROOT, sampleForm, startStudioHub } from './support.ts';

const LONG_TEXT = 'A generation slow enough to watch and to cancel.';

describe('a generation as a task', () => {
  let hub: TestHub;
  let profile: string;
  const slowEntry = { name: 'slow-clone-tts', source: join(ROOT, 'test', 'studio', 'fixtures', 'slow-clone-tts'), enabled: true };
  before(async () => {
    hub = await startStudioHub({ studio: { defaultEngine: 'slow-clone-tts' }, jobs: { progressIntervalMs: 0 } }, { smoke: [], extra: [slowEntry] });
    profile = ((await (await hub.call('/profiles', json({ name: 'Slow' }))).json()) as { id: string }).id;
    assert.equal((await hub.call(`/profiles/${profile}/samples`, { method: 'POST', body: sampleForm() })).status, 200);
  });
  after(() => hub.stop());

  const nothingKept = async () => {
    assert.deepEqual(await (await hub.call('/history')).json(), { items: [], total: 0 });
    assert.deepEqual(readdirSync(join(hub.dataDir, 'studio', 'generations')), []);
  };
  const runningTask = async (): Promise<{ task_id: string }> => {
    for (let i = 0; i < 400; i++) {
      const { tasks } = (await (await hub.call('/api/tasks?status=running')).json()) as { tasks: { task_id: string; progress: number }[] };
      if (tasks[0] && tasks[0].progress > 0) return tasks[0];
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no generation task started');
  };

  it('streams progress while it runs and stops, keeping nothing, when cancelled through the tasks API', async () => {
    const accepted = (await (await hub.call('/generate', { ...json({ profile_id: profile, text: LONG_TEXT }), headers: { 'content-type': 'application/json', prefer: 'respond-async' } })).json()) as { task_id: string; events_url: string };
    const events = readEvents(await hub.call(accepted.events_url));
    const seen = await events.until((e) => e.status === 'running' && (e.progress as number) > 0.1);
    assert.ok(seen.some((e) => e.stage === 'synthesis'), JSON.stringify(seen.slice(-3)));
    const cancelled = await hub.call(`/api/tasks/${accepted.task_id}/cancel`, { method: 'POST' });
    assert.equal(cancelled.status, 202);
    const final = await events.until((e) => e.status === 'cancelled' || e.status === 'done');
    assert.equal(final.at(-1)!.status, 'cancelled');
    await events.cancel();
    await nothingKept();
  });

  it('is cancelled when the waiting client hangs up', async () => {
    const controller = new AbortController();
    const call = hub.call('/generate', { ...json({ profile_id: profile, text: LONG_TEXT }), signal: controller.signal }).catch((error: Error) => error);
    const task = await runningTask();
    controller.abort();
    assert.ok((await call) instanceof Error);
    let status = 'running';
    for (let i = 0; i < 400 && status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = ((await (await hub.call(`/api/tasks/${task.task_id}`)).json()) as { status: string }).status;
    }
    assert.equal(status, 'cancelled');
    await nothingKept();
  });
});
