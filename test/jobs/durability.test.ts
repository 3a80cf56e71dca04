import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { TaskStore } from '../../core/jobs/task-store.ts';
import { DEV_KEY, startTestHub, wavBlobFor, type TestHub } from '../support/test-hub.ts';
import { JOBS_REGISTRY, openProgressSocket, statusOf, submit, waitForStatus, wsUrl } from './support.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const LONG = { steps: 100000, delay_ms: 20 };

function settings(registry: string, dataDir: string, concurrency: number) {
  return {
    registry,
    dataDir,
    server: { shutdownGraceMs: 200 },
    rateLimit: { perMinute: 10000, perHour: 100000 },
    jobs: { progressIntervalMs: 0, persistIntervalMs: 0, plugins: { 'slow-steps': { concurrency, queueBound: 10 } } },
  };
}

/** The hub as `npm start` runs it, in its own process, so that it can be killed outright. */
async function startHubProcess(configPath: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', HUB_CONFIG: configPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${output}`)));
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const call = (path: string, init: RequestInit = {}) => fetch(url + path, { ...init, headers: { 'X-API-Key': DEV_KEY, ...(init.headers as Record<string, string>) } });
  return { child, url, exited, call };
}

describe('tasks survive a restart', () => {
  it('keeps finished results, runs queued tasks and settles interrupted ones after a graceful restart', async () => {
    const registry = JOBS_REGISTRY;
    const dataDir = await mkdtemp(join(tmpdir(), 'jobs-restart-'));
    let before: TestHub | undefined;
    let after: TestHub | undefined;
    try {
      before = await startTestHub(settings(registry, dataDir, 2));
      const finished = await submit(before, '/audio/slow-tone', { steps: 2, delay_ms: 1 });
      await waitForStatus(before, finished.task_id, (t) => t.status === 'done');
      const finishedBytes = Buffer.from(await (await before.call(finished.result_url)).arrayBuffer());

      const interrupted = await submit(before, '/audio/slow-steps', LONG); // not idempotent: fails
      const rerun = await submit(before, '/audio/slow-tone', { steps: 100, delay_ms: 20 }); // idempotent: runs again
      for (const task of [interrupted, rerun]) await waitForStatus(before, task.task_id, (t) => t.status === 'running' && t.progress > 0);
      const upload = new FormData();
      upload.set('audio', wavBlobFor({ seconds: 0.5, sampleRate: 16000 }), 'tone.wav');
      upload.set('steps', '1');
      const queuedWithUpload = await submit(before, '/audio/slow-steps', upload);
      const queued = await submit(before, '/audio/slow-tone', { steps: 1, delay_ms: 1 });
      for (const task of [queuedWithUpload, queued]) assert.equal((await statusOf(before, task.task_id)).status, 'queued');
      const watcher = await openProgressSocket(wsUrl(before, interrupted.task_id));

      await before.close();
      assert.equal((await watcher.closed).code, 1001, 'subscribers are told the hub is going away');
      after = await startTestHub(settings(registry, dataDir, 2));

      const kept = await after.call(finished.result_url);
      assert.equal(kept.status, 200);
      assert.deepEqual(Buffer.from(await kept.arrayBuffer()), finishedBytes);

      const failed = await statusOf(after, interrupted.task_id);
      assert.equal(failed.status, 'error');
      assert.deepEqual(failed.error, { status: 503, code: 'interrupted', detail: 'the hub restarted while this task was running; submit it again' });
      assert.equal((await after.call(interrupted.result_url)).status, 503);

      const again = await waitForStatus(after, rerun.task_id, (t) => t.status === 'done');
      assert.equal(again.attempts, 2);
      assert.equal((await after.call(rerun.result_url)).headers.get('x-steps'), '100');

      await waitForStatus(after, queuedWithUpload.task_id, (t) => t.status === 'done');
      assert.deepEqual(await (await after.call(queuedWithUpload.result_url)).json(), { steps: 1, audio_samples: 8000 });
      await waitForStatus(after, queued.task_id, (t) => t.status === 'done');
      assert.equal((await after.call(queued.result_url)).status, 200);

      const listed = (await (await after.call('/api/tasks')).json()) as { tasks: { task_id: string }[] };
      assert.equal(listed.tasks.length, 5);
    } finally {
      if (before) await rm(before.dataDir, { recursive: true, force: true });
      await after?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('loses nothing when the hub process is killed mid-queue', async () => {
    const registry = JOBS_REGISTRY;
    const dataDir = await mkdtemp(join(tmpdir(), 'jobs-crash-'));
    const configPath = join(dataDir, 'hub-config.json');
    const { server: _grace, ...config } = settings(registry, dataDir, 1);
    await writeFile(configPath, JSON.stringify({ ...config, server: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' }));
    const hub = await startHubProcess(configPath);
    let after: TestHub | undefined;
    try {
      const submitted = async (path: string, fields: object) => {
        const res = await hub.call(`/api${path}?async=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
        assert.equal(res.status, 202);
        return ((await res.json()) as { task_id: string }).task_id;
      };
      const running = await submitted('/audio/slow-steps', LONG);
      const queued = [await submitted('/audio/slow-tone', { steps: 2, delay_ms: 1 }), await submitted('/audio/slow-steps', { steps: 2, delay_ms: 1 })];
      for (let i = 0; ; i++) {
        const task = (await (await hub.call(`/api/tasks/${running}`)).json()) as { status: string; progress: number };
        if (task.status === 'running' && task.progress > 0) break;
        assert.ok(i < 1000, 'the long task never started');
        await new Promise((r) => setTimeout(r, 10));
      }

      hub.child.kill('SIGKILL');
      assert.equal(await hub.exited, 'SIGKILL');
      after = await startTestHub(settings(registry, dataDir, 1));

      const failed = await statusOf(after, running);
      assert.equal(failed.status, 'error');
      assert.equal(failed.error.code, 'interrupted');
      assert.ok(failed.progress > 0, 'the last progress written before the crash is kept');
      for (const id of queued) await waitForStatus(after, id, (t) => t.status === 'done');
      assert.match((await after.call(`/api/tasks/${queued[0]}/result`)).headers.get('content-type') ?? '', /^audio\/wav/);
      assert.deepEqual(await (await after.call(`/api/tasks/${queued[1]}/result`)).json(), { steps: 2, audio_samples: null });
    } finally {
      if (hub.child.exitCode === null && hub.child.signalCode === null) hub.child.kill('SIGKILL');
      await after?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('writes progress to the database at most once per persistIntervalMs, while status stays live', async () => {
    const registry = JOBS_REGISTRY;
    const hub = await startTestHub({ registry, jobs: { progressIntervalMs: 0, persistIntervalMs: 60_000 } });
    try {
      const task = await submit(hub, '/audio/slow-steps', { steps: 10, delay_ms: 50 });
      const live = await waitForStatus(hub, task.task_id, (t) => t.status === 'done' || (t.status === 'running' && t.progress >= 0.5));
      assert.equal(live.status, 'running', 'the task finished before its live progress was seen');
      const stored = hub.container.resolve<TaskStore>('taskStore').get(task.task_id)!;
      assert.equal(stored.progress, 0.1, 'only the first report was written so far');
      const done = await waitForStatus(hub, task.task_id, (t) => t.status === 'done');
      assert.equal(done.progress, 1);
    } finally {
      await hub.stop();
    }
  });

  it('removes a finished task and its result once its time is up', async () => {
    const registry = JOBS_REGISTRY;
    const hub = await startTestHub({ registry, jobs: { resultTtlSeconds: 1, cleanupIntervalSeconds: 1 } });
    try {
      const task = await submit(hub, '/audio/slow-steps', { steps: 1, delay_ms: 1 });
      const done = await waitForStatus(hub, task.task_id, (t) => t.status === 'done');
      assert.ok(Date.parse(done.expires_at) - Date.parse(done.finished_at) === 1000);
      const folder = join(hub.dataDir, 'tasks', task.task_id);
      assert.ok(existsSync(join(folder, 'result')));
      for (let i = 0; (await hub.call(task.status_url)).status !== 404; i++) {
        assert.ok(i < 500, 'the task never expired');
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal((await hub.call(task.result_url)).status, 404);
      assert.equal(existsSync(folder), false);
    } finally {
      await hub.stop();
    }
  });
});
