// Scale-out mode with its real parts: a redis-server, API processes started with
// `--role api` and worker processes started with `npm run worker`, all reading one config
// file and sharing one data directory (the task store and result files) and one Redis.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProgressEvent } from '../../core/jobs/types.ts';
import type { Accepted } from '../jobs/support.ts';
import { startHubProcess, startWorkerProcess, type HubProcess } from '../support/hub-processes.ts';
import { redisSkipReason, startRedis, type RedisServer } from '../support/redis-server.ts';
import { DEV_KEY, wavBlobFor } from '../support/test-hub.ts';
import WebSocket from 'ws';

/** The jobs tests' plugins (slow steps, audio info) and the tone TTS fixture for the speech cache. */
const REGISTRY = join(import.meta.dirname, 'registry.json');
const ADMIN_KEY = 'scale-out-admin-key-0123456789';
const QUOTA_ROUTE = 'POST /audio/slow-tone';
const QUOTA = 10;
const skip = redisSkipReason();
if (skip) console.log(`# skipped: ${skip}`);

async function writeConfig(dir: string, redis: RedisServer, laneBound = 100): Promise<string> {
  const path = join(dir, 'hub.json');
  const config = {
    server: { port: 0, host: '127.0.0.1', shutdownGraceMs: 500 },
    dataDir: join(dir, 'data'),
    logLevel: 'error',
    registry: REGISTRY,
    openai: { defaultModel: 'tone-tts' },
    auth: { adminKey: ADMIN_KEY },
    rateLimit: { perMinute: 100_000, perHour: 1_000_000, tasksPerMinute: 1_000_000, routes: { [QUOTA_ROUTE]: { perMinute: QUOTA } } },
    jobs: { progressIntervalMs: 0, persistIntervalMs: 0, plugins: { 'slow-steps': { concurrency: 2, queueBound: laneBound } } },
    // A dead worker is noticed within ~2 s (lock 2 s, checked every 2 s), not the default 30.
    scaleOut: { redisUrl: redis.url, stalledSeconds: 2 },
  };
  await writeFile(path, JSON.stringify(config));
  return path;
}

async function submit(api: HubProcess, path: string, body: Record<string, unknown> | FormData, key = DEV_KEY): Promise<Response> {
  const json = !(body instanceof FormData);
  return api.call(`/api${path}`, {
    method: 'POST',
    key,
    headers: { Prefer: 'respond-async', ...(json ? { 'content-type': 'application/json' } : {}) },
    body: json ? JSON.stringify(body) : body,
  });
}

async function accepted(api: HubProcess, path: string, body: Record<string, unknown> | FormData): Promise<Accepted> {
  const res = await submit(api, path, body);
  assert.equal(res.status, 202, await res.clone().text());
  return (await res.json()) as Accepted;
}

async function statusOf(api: HubProcess, id: string): Promise<Record<string, any>> {
  const res = await api.call(`/api/tasks/${id}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Record<string, any>;
}

async function waitFor(api: HubProcess, id: string, predicate: (task: Record<string, any>) => boolean, timeoutMs = 30_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  let task: Record<string, any> = {};
  while (Date.now() < deadline) {
    task = await statusOf(api, id);
    if (predicate(task)) return task;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`task ${id} never reached the expected state; last: ${JSON.stringify(task)}`);
}

function followOverWebSocket(api: HubProcess, id: string): Promise<{ events: Promise<ProgressEvent[]> }> {
  const ws = new WebSocket(`${api.url.replace(/^http/, 'ws')}/ws/progress/${id}`, { headers: { 'X-API-Key': DEV_KEY } });
  const events: ProgressEvent[] = [];
  ws.on('message', (data) => events.push(JSON.parse(String(data)) as ProgressEvent));
  const closed = new Promise<ProgressEvent[]>((resolve) => ws.once('close', () => resolve(events)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ events: closed }));
    ws.once('error', reject);
  });
}

async function tasksFinished(workers: readonly HubProcess[]): Promise<number> {
  const healths = await Promise.all(workers.map(async (w) => ((await (await fetch(`${w.url}/health`)).json()) as { tasks: { finished: number } }).tasks.finished));
  return healths.reduce((a, b) => a + b, 0);
}

describe('scale-out: two API processes and two workers sharing one Redis', { skip }, () => {
  let dir: string;
  let redis: RedisServer;
  let apiA: HubProcess;
  let apiB: HubProcess;
  let workers: HubProcess[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-scale-out-'));
    redis = await startRedis();
    const config = await writeConfig(dir, redis);
    // The first process creates the database; the others open it once it exists.
    apiA = await startHubProcess(config, { role: 'api' });
    [apiB, ...workers] = await Promise.all([startHubProcess(config, { role: 'api' }), startWorkerProcess(config), startWorkerProcess(config)]);
  });

  after(async () => {
    await Promise.all([apiA, apiB, ...workers].filter(Boolean).map((p) => p.stop()));
    await redis?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('admits exactly the per-minute limit of one key across both API processes; the rest get 429 with Retry-After', async () => {
    // A key of its own, so that the other tests of this topology keep the dev key's quota.
    const created = await apiA.call('/api/keys', { method: 'POST', key: ADMIN_KEY, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'quota' }) });
    assert.equal(created.status, 201, await created.clone().text());
    const { key } = (await created.json()) as { key: string };
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => submit(i % 2 ? apiB : apiA, '/audio/slow-tone', { steps: 1, delay_ms: 1 }, key)));
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 202).length, QUOTA, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 429).length, 50 - QUOTA, JSON.stringify(statuses));
    for (const res of responses.filter((r) => r.status === 429)) {
      assert.ok(Number(res.headers.get('retry-after')) >= 1, 'a refusal says when to come back');
      assert.match(((await res.json()) as { detail: string }).detail, /10 requests per minute/);
    }
    // Both processes admitted some and refused some: the count is one, not one per process.
    for (const api of [apiA, apiB]) {
      const mine = responses.filter((_, i) => (i % 2 ? apiB : apiA) === api).map((r) => r.status);
      assert.ok(mine.includes(429), `${api.url} refused none: it counted alone`);
    }
  });

  it('runs a task created on API A on a worker; a WebSocket on API B streams its progress and B serves its result', async () => {
    const task = await accepted(apiA, '/audio/slow-steps', { steps: 20, delay_ms: 50 });
    const socket = await followOverWebSocket(apiB, task.task_id);
    const events = await socket.events;
    const final = events.at(-1)!;
    assert.equal(final.status, 'done', JSON.stringify(events));
    const stepping = events.filter((e) => e.stage === 'stepping');
    assert.ok(stepping.length >= 5, `B saw the worker's progress as it went: ${JSON.stringify(events)}`);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.progress >= events[i - 1]!.progress, 'progress never goes back');

    const result = await apiB.call(task.result_url);
    assert.equal(result.status, 200);
    assert.deepEqual(await result.json(), { steps: 20, audio_samples: null });
    assert.equal((await statusOf(apiA, task.task_id)).status, 'done');
  });

  it('cancels from API B a task that a worker runs for API A', async () => {
    const task = await accepted(apiA, '/audio/slow-steps', { steps: 1000, delay_ms: 20 });
    await waitFor(apiB, task.task_id, (t) => t.status === 'running' && t.progress > 0);
    const res = await apiB.call(`/api/tasks/${task.task_id}/cancel`, { method: 'POST' });
    assert.equal(res.status, 202, await res.clone().text());
    const cancelled = await waitFor(apiA, task.task_id, (t) => t.status !== 'running', 5000);
    assert.equal(cancelled.status, 'cancelled');
  });

  it('refuses a revoked key on every API process within 1 s', async () => {
    const created = await apiA.call('/api/keys', { method: 'POST', key: ADMIN_KEY, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'short-lived' }) });
    assert.equal(created.status, 201, await created.clone().text());
    const { id, key } = (await created.json()) as { id: string; key: string };
    assert.equal((await apiB.call('/api/tasks', { key })).status, 200);

    assert.equal((await apiA.call(`/api/keys/${id}`, { method: 'DELETE', key: ADMIN_KEY })).status, 204);
    const revokedAt = Date.now();
    for (const api of [apiB, apiA]) {
      let status = 0;
      while ((status = (await api.call('/api/tasks', { key })).status) === 200 && Date.now() - revokedAt < 1000) await new Promise((r) => setTimeout(r, 20));
      assert.equal(status, 401, `${api.url} still accepted the key 1 s after it was revoked`);
    }
  });

  it('runs a synchronous call made on an API-only process on a worker and answers it as the in-process call would', async () => {
    const finishedBefore = await tasksFinished(workers);
    const res = await apiB.call('/api/audio/slow-tone', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ steps: 3, delay_ms: 1 }) });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'audio/wav');
    assert.equal(res.headers.get('x-steps'), '3');
    assert.equal(res.headers.get('x-weight-state'), 'weight-free');
    assert.equal((await res.arrayBuffer()).byteLength, 44 + 3 * 160 * 2, '30 ms of 16-bit audio at 16 kHz');
    // The worker counts a task once BullMQ has its outcome, a moment after the result is stored.
    let finished = 0;
    for (const deadline = Date.now() + 2000; (finished = await tasksFinished(workers)) === finishedBefore && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    assert.equal(finished, finishedBefore + 1, 'a worker ran it');

    const failing = await apiA.call('/api/audio/slow-steps', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ steps: 2, delay_ms: 1, fail_at: 2 }) });
    assert.equal(failing.status, 422);
    assert.deepEqual(await failing.json(), { detail: 'step 2 failed on purpose' });
  });

  it("runs the surfaces' capability calls on a worker: /v1/audio/speech on an API-only process synthesises there", async () => {
    const finishedBefore = await tasksFinished(workers);
    const res = await apiA.call('/v1/audio/speech', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Cache-Control': 'no-store' },
      body: JSON.stringify({ input: 'Spoken on a worker.', voice: 'high', response_format: 'pcm' }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    // tone-tts: 50 ms (1200 samples at 24 kHz) per character, 16-bit PCM
    assert.equal((await res.arrayBuffer()).byteLength, [...'Spoken on a worker.'].length * 1200 * 2);
    let finished = 0;
    for (const deadline = Date.now() + 2000; (finished = await tasksFinished(workers)) === finishedBefore && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    assert.ok(finished > finishedBefore, 'a worker ran the synthesis');
    // An error the capability raises on the worker reaches the client as the in-process call's would.
    const unknown = await apiB.call('/v1/audio/speech', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'Hello.', voice: 'nobody', response_format: 'wav' }),
    });
    assert.equal(unknown.status, 400, await unknown.clone().text());
    assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /^voice: unknown voice 'nobody'/, 'the message the capability raised on the worker');
  });

  it('shares the speech cache: what API A synthesised is a HIT on API B', async () => {
    const speak = (api: HubProcess, input: string) =>
      api.call('/v1/audio/speech', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input, voice: 'low', response_format: 'wav' }) });
    // B looks at its cache first, so that a later HIT cannot come from B reading the folder then.
    assert.equal((await speak(apiB, 'B looks first.')).headers.get('x-cache'), 'MISS');
    const first = await speak(apiA, 'Cached on A.');
    assert.equal(first.headers.get('x-cache'), 'MISS');
    const again = await speak(apiB, 'Cached on A.');
    assert.equal(again.headers.get('x-cache'), 'HIT');
    assert.deepEqual(Buffer.from(await again.arrayBuffer()), Buffer.from(await first.arrayBuffer()));
  });

  it('answers each worker health probe with what it has run', async () => {
    for (const worker of workers) {
      const res = await fetch(`${worker.url}/health`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as Record<string, any>;
      assert.deepEqual({ ...body, tasks: undefined }, { status: 'healthy', role: 'worker', pid: worker.child.pid, redis: 'connected', tasks: undefined });
      assert.equal(body.tasks.running, 0);
    }
    assert.ok((await tasksFinished(workers)) >= 14, 'the tasks of the tests above ran on the workers');
  });
});

describe('scale-out: failures of a worker and of Redis', { skip }, () => {
  let dir: string;
  let redis: RedisServer;
  let config: string;
  let api: HubProcess;
  /** The one worker alive between tests (each test that replaces it says so). */
  let worker: HubProcess;
  const processes: HubProcess[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-scale-out-fail-'));
    redis = await startRedis();
    config = await writeConfig(dir, redis, 2); // two tasks may wait in the lane, across the deployment
    api = await startHubProcess(config, { role: 'api' });
    processes.push(api);
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await redis?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a worker stopped with SIGTERM hands its unfinished task back: another worker runs it again', async () => {
    const leaving = await startWorkerProcess(config);
    processes.push(leaving);
    const tone = await accepted(api, '/audio/slow-tone', { steps: 200, delay_ms: 20 });
    await waitFor(api, tone.task_id, (t) => t.status === 'running' && t.progress > 0);
    await leaving.stop(); // grace 500 ms, far less than the task needs
    assert.equal((await statusOf(api, tone.task_id)).status, 'running', 'not failed: handed back');
    processes.push((worker = await startWorkerProcess(config))); // started only now: the task cannot have run there before
    const done = await waitFor(api, tone.task_id, (t) => t.status === 'done');
    assert.equal(done.attempts, 2, 'it ran on the leaving worker, then on the other');
  });

  it('kill -9 of a worker: an idempotent task completes on the other worker, a non-idempotent one fails with a clear error and its uploads are removed', async () => {
    const doomed = worker; // the only worker: it takes both tasks
    const tone = await accepted(api, '/audio/slow-tone', { steps: 60, delay_ms: 40 });
    const upload = new FormData();
    upload.set('audio', wavBlobFor({ seconds: 0.5, sampleRate: 16000 }), 'tone.wav');
    upload.set('steps', '1000');
    const steps = await accepted(api, '/audio/slow-steps', upload);
    for (const task of [tone, steps]) await waitFor(api, task.task_id, (t) => t.status === 'running' && t.progress > 0);
    await stat(join(dir, 'data', 'tasks', steps.task_id, 'uploads')); // there before the kill

    doomed.child.kill('SIGKILL');
    assert.equal(await doomed.exited, 'SIGKILL');
    processes.push((worker = await startWorkerProcess(config)));

    const rerun = await waitFor(api, tone.task_id, (t) => t.status === 'done');
    assert.equal(rerun.attempts, 2, 'it ran once on each worker');
    const audio = await api.call(tone.result_url);
    assert.equal(audio.status, 200);
    assert.equal(audio.headers.get('x-steps'), '60');

    const failed = await waitFor(api, steps.task_id, (t) => t.status === 'error');
    assert.deepEqual(failed.error, { status: 503, code: 'interrupted', detail: 'the worker running this task stopped; submit it again' });
    await assert.rejects(stat(join(dir, 'data', 'tasks', steps.task_id, 'uploads')), { code: 'ENOENT' });
  });

  it('bounds a lane across the deployment (503 + Retry-After) and lets a task of an admin key overtake the waiting tasks of user keys', async () => {
    const blockers = await Promise.all([1, 2].map(() => accepted(api, '/audio/slow-steps', { steps: 1000, delay_ms: 20 })));
    for (const task of blockers) await waitFor(api, task.task_id, (t) => t.status === 'running');
    const created = await api.call('/api/keys', { method: 'POST', key: ADMIN_KEY, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'patient', role: 'user' }) });
    const userRes = await submit(api, '/audio/slow-steps', { steps: 1, delay_ms: 1 }, ((await created.json()) as { key: string }).key);
    assert.equal(userRes.status, 202);
    const user = (await userRes.json()) as Accepted;
    const adminRes = await submit(api, '/audio/slow-steps', { steps: 1, delay_ms: 1 }, ADMIN_KEY);
    assert.equal(adminRes.status, 202);
    const admin = (await adminRes.json()) as Accepted;
    const full = await submit(api, '/audio/slow-steps', { steps: 1, delay_ms: 1 });
    assert.equal(full.status, 503, 'the lane holds its bound of 2 waiting tasks');
    assert.ok(Number(full.headers.get('retry-after')) >= 1);
    assert.match(((await full.json()) as { detail: string }).detail, /task queue of plugin 'slow-steps' \(2 waiting\)/);
    assert.equal((await api.call(`/api/tasks/${blockers[0]!.task_id}/cancel`, { method: 'POST' })).status, 202); // one place frees up
    // The freed place goes to the admin's task although the user's waited longer; the user's runs after it.
    const [first, second] = await Promise.all([admin, user].map((t) => waitFor(api, t.task_id, (s) => s.status === 'done', 10_000)));
    assert.ok(first!.started_at < second!.started_at, `admin started ${first!.started_at}, user ${second!.started_at}`);
    assert.equal((await api.call(`/api/tasks/${blockers[1]!.task_id}/cancel`, { method: 'POST' })).status, 202);
  });

  it('Redis stopped: queue operations answer 503 {detail}, health says why, the hub recovers by itself and no acknowledged task is lost', async () => {
    // Three tasks on a lane that runs two at a time: the third is only in Redis when it stops.
    const acknowledged: Accepted[] = [];
    for (let i = 0; i < 3; i++) {
      const task = await accepted(api, '/audio/slow-tone', { steps: 10, delay_ms: 100 });
      if (i < 2) await waitFor(api, task.task_id, (t) => t.status === 'running'); // the lane bound is 2 waiting
      acknowledged.push(task);
    }
    await redis.stop(); // SIGTERM; the append-only file was synced at every write anyway

    const refused = await submit(api, '/audio/slow-tone', { steps: 1, delay_ms: 1 });
    assert.equal(refused.status, 503);
    assert.match(((await refused.json()) as { detail: string }).detail, /Redis is unreachable/);
    const health = await api.call('/api/health');
    assert.equal(health.status, 503);
    const said = (await health.json()) as { status: string; detail: string };
    assert.equal(said.status, 'degraded');
    assert.match(said.detail, /Redis is unreachable .*tasks cannot be queued/);
    assert.equal((await api.call(`/api/tasks/${acknowledged[2]!.task_id}`)).status, 200, 'task status does not need Redis');

    await redis.restart();
    const deadline = Date.now() + 15_000;
    let again: Response;
    while ((again = await submit(api, '/audio/slow-tone', { steps: 1, delay_ms: 1 })).status !== 202 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(again.status, 202, 'submissions work again once Redis is back');
    assert.equal((await api.call('/api/health')).status, 200);
    for (const task of acknowledged) assert.equal((await waitFor(api, task.task_id, (t) => t.status === 'done' || t.status === 'error')).status, 'done');
  });
});
