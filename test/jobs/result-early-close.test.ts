// A client that leaves while a task result streams (issue 26 §0.8) is not an error: no
// "unhandled error" with a stack trace in the log, and the hub keeps serving the result.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../core/hub.ts';
import { makeLogger } from '../../core/log/logger.ts';
import { DEV_KEY } from '../support/test-hub.ts';

describe('a client closing early on /api/tasks/{id}/result', () => {
  let hub: Hub;
  let dataDir: string;
  const lines: Record<string, unknown>[] = [];
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hub-early-close-'));
    hub = await startHub({
      overrides: { server: { port: 0, host: '127.0.0.1' }, dataDir, logLevel: 'info', rateLimit: { perMinute: 1000, perHour: 10000, tasksPerMinute: 10000 } },
      env: { NODE_ENV: 'test' },
      logger: makeLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    });
  });
  after(async () => {
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is not logged as an error, and the next client gets the whole result', { timeout: 120_000 }, async () => {
    // A result of several MB: far more than a loopback socket buffers, so the close lands mid-stream.
    const text = 'The quick brown fox jumps over the lazy dog near the quiet river bank. '.repeat(40);
    const submitted = await fetch(`${hub.url}/api/tts/espeak?async=true`, { method: 'POST', headers: { 'x-api-key': DEV_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    assert.equal(submitted.status, 202, await submitted.clone().text());
    const { task_id } = (await submitted.json()) as { task_id: string };
    let task: { status: string; result: { bytes: number } | null };
    do {
      await new Promise((r) => setTimeout(r, 100));
      task = (await (await fetch(`${hub.url}/api/tasks/${task_id}`, { headers: { 'x-api-key': DEV_KEY } })).json()) as typeof task;
    } while (task.status === 'queued' || task.status === 'running');
    assert.equal(task.status, 'done');
    assert.ok(task.result!.bytes > 4 << 20, `result of ${task.result!.bytes} bytes`);

    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = request(`${hub.url}/api/tasks/${task_id}/result`, { headers: { 'x-api-key': DEV_KEY } }, (res) => {
          res.once('data', () => {
            req.destroy(); // the client leaves after the first chunk
            resolve();
          });
        });
        req.once('error', () => {});
        req.once('error', reject);
        req.end();
      }).catch(() => {});
    }
    // Access lines are written when each response closes; the pipeline's rejection follows at once.
    const started = performance.now();
    while (lines.filter((l) => l.msg === 'request' && String(l.path).endsWith('/result')).length < 3 && performance.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    const errors = lines.filter((l) => l.level === 'error' || l.level === 50 || l.msg === 'unhandled error');
    assert.deepEqual(errors, []);

    const whole = await fetch(`${hub.url}/api/tasks/${task_id}/result`, { headers: { 'x-api-key': DEV_KEY } });
    assert.equal((await whole.arrayBuffer()).byteLength, task.result!.bytes);
  });
});
