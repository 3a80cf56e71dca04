// A plugin's loop in the worker, seen from HTTP: as a task, every step shows as progress on
// the task's event stream; a client that goes away stops the loop within a step.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SessionManager } from '../../core/onnx/session-manager.ts';
import { openEventStream, submit } from '../jobs/support.ts';
import { fixtureEntry, startOnnxHub } from '../onnx/support/hub.ts';
import { arDecoderBytes, SMALL_AR } from '../support/ar-decoder.ts';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';

describe('a loop in the worker behind a route', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startOnnxHub([fixtureEntry('ar-loop')], { onnx: { workers: 1 }, jobs: { progressIntervalMs: 0, persistIntervalMs: 0 } });
    const dir = join(hub.dataDir, 'models', 'ar-loop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'decoder.onnx'), arDecoderBytes(SMALL_AR));
  });
  after(() => hub.stop());

  it('reports step i of n through ctx.progress to the task stream', async () => {
    const task = await submit(hub, '/tts/ar-loop', { tokens: 12, step_delay_ms: 5 });
    const { events } = await openEventStream(hub, task.task_id);
    const all = await events;
    const steps = all.filter((e) => e.stage === 'decode').map((e) => e.message);
    assert.ok(steps.length >= 2, JSON.stringify(all));
    assert.equal(steps.at(-1), 'token 12 of 12');
    assert.equal(all.at(-1)!.status, 'done');
  });

  it('stops the loop when the client goes away', { timeout: 60_000 }, async () => {
    const manager = hub.container.resolve<SessionManager>('graphs');
    const loops = async () => (await manager.workerStats())[0]!.loops;
    const controller = new AbortController();
    const body = JSON.stringify({ tokens: 400, step_delay_ms: 20 });
    const fetched = fetch(`${hub.url}/api/tts/ar-loop`, { method: 'POST', signal: controller.signal, headers: { 'content-type': 'application/json', 'x-api-key': DEV_KEY }, body });
    void fetched.catch(() => undefined);
    for (let i = 0; i < 500 && (await loops()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await loops(), 1, 'the loop is running');
    controller.abort();
    // 400 steps of 20 ms would take 8 s; the hung-up loop ends within a step or two.
    const started = performance.now();
    for (let i = 0; i < 300 && (await loops()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await loops(), 0, `the loop still runs ${(performance.now() - started).toFixed(0)} ms after the hang-up`);
  });
});
