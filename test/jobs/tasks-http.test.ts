import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { KeyStore } from '../../core/security/key-store.ts';
import { DEV_KEY, wavBlobFor, type TestHub } from '../support/test-hub.ts';
import {
  assertOrderedProgress,
  openEventStream,
  openProgressSocket,
  refusedHandshake,
  sseEvents,
  startJobsHub,
  statusOf,
  submit,
  waitForStatus,
  wsUrl,
} from './support.ts';

const LONG = { steps: 100000, delay_ms: 20 };

describe('async tasks over real HTTP and WebSocket', () => {
  let hub: TestHub;
  let keys: KeyStore;

  /** A long task that holds the plugin's only slot until it is cancelled. */
  async function block(): Promise<() => Promise<void>> {
    const blocker = await submit(hub, '/audio/slow-steps', LONG);
    await waitForStatus(hub, blocker.task_id, (t) => t.status === 'running');
    return async () => {
      const res = await hub.call(`/api/tasks/${blocker.task_id}/cancel`, { method: 'POST' });
      assert.equal(res.status, 202);
      await waitForStatus(hub, blocker.task_id, (t) => t.status === 'cancelled');
    };
  }

  before(async () => {
    hub = await startJobsHub({
      rateLimit: { perMinute: 10000, perHour: 100000 },
      jobs: { progressIntervalMs: 0, persistIntervalMs: 0, plugins: { 'slow-steps': { concurrency: 1, queueBound: 2 } } },
    });
    keys = hub.container.resolve<KeyStore>('keys');
  });
  after(() => hub.stop());

  it('answers a call without an async preference synchronously, as before', async () => {
    const res = await hub.call('/api/audio/slow-steps', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ steps: 2, delay_ms: 1 }) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { steps: 2, audio_samples: null });
  });

  it('answers Prefer: respond-async with 202, Location, Preference-Applied and the task URLs', async () => {
    const res = await hub.call('/api/audio/slow-steps', {
      method: 'POST',
      headers: { 'content-type': 'application/json', Prefer: 'wait=5, respond-async' },
      body: JSON.stringify({ steps: 2, delay_ms: 1 }),
    });
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('preference-applied'), 'respond-async');
    const body = (await res.json()) as Record<string, string>;
    const id = body.task_id!;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get('location'), `/api/tasks/${id}`);
    assert.deepEqual(
      { status_url: body.status_url, progress_url: body.progress_url, events_url: body.events_url, result_url: body.result_url },
      { status_url: `/api/tasks/${id}`, progress_url: `/ws/progress/${id}`, events_url: `/api/tasks/${id}/events`, result_url: `/api/tasks/${id}/result` },
    );
    const done = await waitForStatus(hub, id, (t) => t.status === 'done');
    assert.equal(done.progress, 1);
    assert.equal(done.route, 'POST /api/audio/slow-steps');
    const result = await hub.call(body.result_url!);
    assert.equal(result.status, 200);
    assert.deepEqual(await result.json(), { steps: 2, audio_samples: null });
  });

  it('sends the same ordered progress over SSE and WebSocket, from the queued state to done with result_url', async () => {
    const release = await block();
    const task = await submit(hub, '/audio/slow-steps', { steps: 4, delay_ms: 10 });
    assert.equal((await statusOf(hub, task.task_id)).status, 'queued');
    const socket = await openProgressSocket(wsUrl(hub, task.task_id));
    const stream = await openEventStream(hub, task.task_id);
    await release();

    const [overSse, overWs] = await Promise.all([stream.events, socket.closed]);
    assert.equal(overWs.code, 1000);
    assert.deepEqual(overWs.events, overSse);
    const events = overSse;
    assert.deepEqual(events[0], { task_id: task.task_id, status: 'queued', progress: 0, stage: 'queued', message: '' });
    assert.deepEqual(
      events.filter((e) => e.stage === 'stepping').map((e) => [e.progress, e.message]),
      [[0.25, 'step 1/4'], [0.5, 'step 2/4'], [0.75, 'step 3/4'], [1, 'step 4/4']],
    );
    assertOrderedProgress(events);
    assert.deepEqual(events.at(-1), { task_id: task.task_id, status: 'done', progress: 1, stage: 'done', message: '', result_url: task.result_url });
  });

  it('serves the result of an audio task with the same bytes, content type and headers as the synchronous call', async () => {
    const fields = { steps: 3, delay_ms: 1 };
    const sync = await hub.call('/api/audio/slow-tone', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
    assert.equal(sync.status, 200);
    const task = await submit(hub, '/audio/slow-tone', fields, { query: '?async=true' });
    const { events } = await (await openProgressSocket(wsUrl(hub, task.task_id))).closed;
    assert.equal(events.at(-1)?.status, 'done');

    const result = await hub.call(task.result_url);
    assert.equal(result.status, 200);
    for (const header of ['content-type', 'x-sample-rate', 'x-audio-duration', 'x-steps', 'x-weight-state', 'content-disposition']) {
      assert.equal(result.headers.get(header), sync.headers.get(header), header);
    }
    assert.match(result.headers.get('content-type')!, /^audio\/wav/);
    assert.deepEqual(Buffer.from(await result.arrayBuffer()), Buffer.from(await sync.arrayBuffer()));
  });

  it('runs an upload route as a task after the request that carried the file has ended', async () => {
    const form = () => {
      const data = new FormData();
      data.set('audio', wavBlobFor({ seconds: 0.25, sampleRate: 16000 }), 'tone.wav');
      return data;
    };
    const sync = await hub.call('/api/audio/info', { method: 'POST', body: form() });
    assert.equal(sync.status, 200);
    const task = await submit(hub, '/audio/info', form());
    await sseEvents(hub, task.task_id);
    const result = await hub.call(task.result_url);
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('content-type'), sync.headers.get('content-type'));
    assert.deepEqual(await result.json(), await sync.json());
  });

  it('gives a late subscriber the final state at once on both channels', async () => {
    const task = await submit(hub, '/audio/slow-steps', { steps: 1, delay_ms: 1 });
    await waitForStatus(hub, task.task_id, (t) => t.status === 'done');
    const final = { task_id: task.task_id, status: 'done', progress: 1, stage: 'done', message: '', result_url: task.result_url };
    assert.deepEqual(await sseEvents(hub, task.task_id), [final]);
    const overWs = await (await openProgressSocket(wsUrl(hub, task.task_id))).closed;
    assert.deepEqual(overWs, { events: [final], code: 1000 });
  });

  it('drops a queued task on cancel, and aborts a running one at its next step', async () => {
    const running = await submit(hub, '/audio/slow-steps', LONG);
    await waitForStatus(hub, running.task_id, (t) => t.status === 'running' && t.progress > 0);
    const queued = await submit(hub, '/audio/slow-steps', { steps: 2, delay_ms: 1 });

    const dropped = await hub.call(`/api/tasks/${queued.task_id}/cancel`, { method: 'POST' });
    assert.equal(dropped.status, 200);
    assert.equal(((await dropped.json()) as { status: string }).status, 'cancelled');
    assert.equal((await hub.call(queued.result_url)).status, 409);

    const stream = await openEventStream(hub, running.task_id);
    const abort = await hub.call(`/api/tasks/${running.task_id}/cancel`, { method: 'POST' });
    assert.equal(abort.status, 202);
    const final = (await stream.events).at(-1)!;
    assert.equal(final.status, 'cancelled');
    assert.ok(final.progress > 0 && final.progress < 1);
    const task = await statusOf(hub, running.task_id);
    assert.equal(task.status, 'cancelled');
    assert.ok(task.finished_at);
    const again = await hub.call(`/api/tasks/${running.task_id}/cancel`, { method: 'POST' });
    assert.equal(again.status, 409);
  });

  it('refuses a submission beyond the queue bound with 503 and Retry-After, without touching the others', async () => {
    const release = await block();
    const waiting = [await submit(hub, '/audio/slow-steps', { steps: 1, delay_ms: 1 }), await submit(hub, '/audio/slow-steps', { steps: 1, delay_ms: 1 })];
    const res = await hub.call('/api/audio/slow-steps?async=true', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 503);
    assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.match(((await res.json()) as { detail: string }).detail, /task queue of plugin 'slow-steps' \(2 waiting, 1 running\) is busy/);
    const sync = await hub.call('/api/audio/slow-steps', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"steps":1,"delay_ms":1}' });
    assert.equal(sync.status, 200, 'synchronous calls do not queue');
    await release();
    for (const task of waiting) await waitForStatus(hub, task.task_id, (t) => t.status === 'done');
  });

  it('records a handler failure with its status and replays it from the result URL', async () => {
    const task = await submit(hub, '/audio/slow-steps', { steps: 5, delay_ms: 1, fail_at: 3 });
    const events = await sseEvents(hub, task.task_id);
    const error = { status: 422, code: 'unprocessable', detail: 'step 3 failed on purpose' };
    assert.deepEqual(events.at(-1), { task_id: task.task_id, status: 'error', progress: 0.4, stage: 'error', message: error.detail, error });
    assert.deepEqual((await statusOf(hub, task.task_id)).error, error);
    const result = await hub.call(task.result_url);
    assert.equal(result.status, 422);
    assert.deepEqual(await result.json(), { detail: error.detail });
  });

  it('refuses a WebSocket without a valid key with 401 before upgrading, and takes the key as ?api_key= from browsers', async () => {
    const task = await submit(hub, '/audio/slow-steps', { steps: 1, delay_ms: 1 });
    const anonymous = await refusedHandshake(wsUrl(hub, task.task_id));
    assert.equal(anonymous.status, 401);
    assert.match(String(anonymous.body.detail), /missing API key/);
    const wrong = await refusedHandshake(wsUrl(hub, task.task_id), { 'X-API-Key': 'sk-not-a-real-key-000000000000' });
    assert.equal(wrong.status, 401);
    const elsewhere = await refusedHandshake(`${hub.url.replace(/^http/, 'ws')}/api/health`, { 'X-API-Key': DEV_KEY });
    assert.deepEqual(elsewhere, { status: 404, body: { detail: 'no WebSocket endpoint at /api/health' } });
    const fromBrowser = await (await openProgressSocket(wsUrl(hub, task.task_id, `?api_key=${DEV_KEY}`), {})).closed;
    assert.equal(fromBrowser.events.at(-1)?.status, 'done');
    const events = await hub.call(`/api/tasks/${task.task_id}/events?api_key=${DEV_KEY}`, { key: null });
    assert.equal(events.status, 200);
    await events.text();
  });

  it('shows a task only to the key that submitted it and to admins', async () => {
    const alice = keys.create({ name: 'alice', role: 'user' }).key;
    const bob = keys.create({ name: 'bob', role: 'user' }).key;
    const task = await submit(hub, '/audio/slow-steps', { steps: 1, delay_ms: 1 }, { key: alice });
    await waitForStatus(hub, task.task_id, (t) => t.status === 'done', alice);

    for (const [path, method] of [[task.status_url, 'GET'], [task.result_url, 'GET'], [task.events_url, 'GET'], [`${task.status_url}/cancel`, 'POST'], [task.status_url, 'DELETE']] as const) {
      const res = await hub.call(path, { method, key: bob });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(((await res.json()) as { detail: string }).detail, `task '${task.task_id}' not found`);
    }
    assert.equal((await refusedHandshake(wsUrl(hub, task.task_id), { 'X-API-Key': bob })).status, 404);
    const bobs = (await (await hub.call('/api/tasks', { key: bob })).json()) as { tasks: unknown[] };
    assert.deepEqual(bobs.tasks, []);
    const alices = (await (await hub.call('/api/tasks', { key: alice })).json()) as { tasks: { task_id: string }[] };
    assert.deepEqual(alices.tasks.map((t) => t.task_id), [task.task_id]);
    assert.equal((await hub.call(task.result_url, { key: alice })).status, 200);
    assert.equal((await hub.call(task.result_url, { key: DEV_KEY })).status, 200, 'admin sees every task');
  });

  it('lists tasks newest first, one page at a time', async () => {
    const carol = keys.create({ name: 'carol', role: 'user' }).key;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submit(hub, '/audio/slow-steps', { steps: 1, delay_ms: 1 }, { key: carol })).task_id);
    const first = (await (await hub.call('/api/tasks?limit=2', { key: carol })).json()) as { tasks: { task_id: string }[]; next_cursor: string };
    assert.deepEqual(first.tasks.map((t) => t.task_id), [ids[2], ids[1]]);
    assert.ok(first.next_cursor);
    const second = (await (await hub.call(`/api/tasks?limit=2&cursor=${first.next_cursor}`, { key: carol })).json()) as { tasks: { task_id: string }[]; next_cursor: null };
    assert.deepEqual(second.tasks.map((t) => t.task_id), [ids[0]]);
    assert.equal(second.next_cursor, null);
    for (const id of ids) await waitForStatus(hub, id, (t) => t.status === 'done', carol);
    const done = (await (await hub.call('/api/tasks?status=done', { key: carol })).json()) as { tasks: unknown[] };
    assert.equal(done.tasks.length, 3);
  });

  it('deletes a finished task and its result, and refuses to delete one still running', async () => {
    const task = await submit(hub, '/audio/slow-steps', { steps: 1, delay_ms: 1 });
    await waitForStatus(hub, task.task_id, (t) => t.status === 'done');
    assert.equal((await hub.call(task.status_url, { method: 'DELETE' })).status, 204);
    assert.equal((await hub.call(task.status_url)).status, 404);
    assert.equal((await hub.call(task.result_url)).status, 404);

    const release = await block();
    const tasks = (await (await hub.call('/api/tasks?status=running')).json()) as { tasks: { task_id: string }[] };
    const refused = await hub.call(`/api/tasks/${tasks.tasks[0]!.task_id}`, { method: 'DELETE' });
    assert.equal(refused.status, 409);
    await release();
  });

  it('answers bad task-API input with a 400 naming the field', async () => {
    const cases: [string, RegExp][] = [
      ['/api/audio/slow-steps?async=maybe', /^async: must be true or false$/],
      ['/api/tasks?limit=0', /^limit: must be an integer from 1 to 100$/],
      ['/api/tasks?status=finished', /^status: must be one of: queued, running, done, error, cancelled$/],
      ['/api/tasks?cursor=bm9wZQ', /^cursor: is not a cursor this API returned$/],
    ];
    for (const [path, detail] of cases) {
      const post = path.startsWith('/api/audio');
      const res = await hub.call(path, post ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' } : {});
      assert.equal(res.status, 400, path);
      assert.match(((await res.json()) as { detail: string }).detail, detail);
    }
    const plain = await hub.call('/ws/progress/00000000-0000-0000-0000-000000000000');
    assert.equal(plain.status, 426);
    assert.equal(plain.headers.get('upgrade'), 'websocket');
    assert.equal((await hub.call('/api/tasks/not-a-task')).status, 404);
  });

  it('documents the async variant of every plugin route and the task API in a valid OpenAPI document', async () => {
    const document = (await (await hub.call('/api/openapi.json')).json()) as Record<string, any>;
    const result = await new Validator().validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    for (const path of ['/api/audio/slow-steps', '/api/audio/slow-tone', '/api/audio/info']) {
      const op = document.paths[path].post;
      assert.ok(op.parameters.some((p: any) => p.name === 'Prefer' && p.in === 'header'), path);
      assert.ok(op.parameters.some((p: any) => p.name === 'async' && p.in === 'query'), path);
      assert.equal(op.responses['202'].content['application/json'].schema.$ref, '#/components/schemas/TaskAccepted');
    }
    assert.ok(document.components.schemas.TaskAccepted);
    for (const path of ['/api/tasks', '/api/tasks/{task_id}', '/api/tasks/{task_id}/result', '/api/tasks/{task_id}/events', '/api/tasks/{task_id}/cancel', '/ws/progress/{task_id}']) {
      assert.ok(document.paths[path], path);
    }
  });
});
