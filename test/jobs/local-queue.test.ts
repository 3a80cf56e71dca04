import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHubError } from '../../core/errors.ts';
import { makeLocalQueue } from '../../core/jobs/local-queue.ts';
import { PRIORITY, type QueuedTask } from '../../core/jobs/task-queue.ts';

/** A worker whose tasks finish only when the test says so. */
function controlledWorker() {
  const running = new Map<string, () => void>();
  const started: string[] = [];
  return {
    started,
    running,
    work: (task: QueuedTask) =>
      new Promise<void>((resolve) => {
        started.push(task.id);
        running.set(task.id, () => {
          running.delete(task.id);
          resolve();
        });
      }),
    finish: async (id: string) => {
      running.get(id)!();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const task = (id: string, lane = 'a'): QueuedTask => ({ id, lane });

describe('the in-process task queue', () => {
  it('runs a lane first in, first out, never more at once than its concurrency', async () => {
    const queue = makeLocalQueue({ limitsOf: () => ({ concurrency: 2, bound: 10 }) });
    const worker = controlledWorker();
    for (const id of ['1', '2', '3', '4']) await queue.enqueue(task(id));
    assert.deepEqual(worker.started, [], 'nothing starts before start()');
    queue.start(worker.work);
    assert.deepEqual(worker.started, ['1', '2']);
    await worker.finish('2');
    assert.deepEqual(worker.started, ['1', '2', '3']);
    await worker.finish('1');
    await worker.finish('3');
    assert.deepEqual(worker.started, ['1', '2', '3', '4']);
    await worker.finish('4');
    await queue.idle();
  });

  it('lets tasks of admin keys overtake waiting tasks of user keys, first in, first out among equals', async () => {
    const queue = makeLocalQueue({ limitsOf: () => ({ concurrency: 1, bound: 10 }) });
    const worker = controlledWorker();
    queue.start(worker.work);
    await queue.enqueue({ id: 'running', lane: 'a', priority: PRIORITY.user });
    for (const [id, priority] of [['u1', PRIORITY.user], ['a1', PRIORITY.admin], ['u2', undefined], ['a2', PRIORITY.admin]] as const) await queue.enqueue({ id, lane: 'a', priority });
    for (const id of ['running', 'a1', 'a2', 'u1']) await worker.finish(id);
    assert.deepEqual(worker.started, ['running', 'a1', 'a2', 'u1', 'u2']);
    await worker.finish('u2');
  });

  it('keeps lanes apart: a busy plugin does not hold up another', async () => {
    const queue = makeLocalQueue({ limitsOf: () => ({ concurrency: 1, bound: 10 }) });
    const worker = controlledWorker();
    queue.start(worker.work);
    await queue.enqueue(task('a1', 'a'));
    await queue.enqueue(task('a2', 'a'));
    await queue.enqueue(task('b1', 'b'));
    assert.deepEqual(worker.started, ['a1', 'b1']);
    for (const id of ['a1', 'b1', 'a2']) await worker.finish(id);
  });

  it('refuses a task beyond the bound with 503 and Retry-After, unless it is forced (resumed after a restart)', async () => {
    const queue = makeLocalQueue({ limitsOf: () => ({ concurrency: 1, bound: 1 }) });
    const worker = controlledWorker();
    queue.start(worker.work);
    await queue.enqueue(task('1'));
    await queue.enqueue(task('2'));
    await assert.rejects(queue.enqueue(task('3')), (error) => {
      assert.ok(isHubError(error));
      assert.equal(error.status, 503);
      assert.equal(error.code, 'overloaded');
      assert.match(error.headers['Retry-After']!, /^[1-9]\d*$/);
      assert.match(error.message, /plugin 'a' \(1 waiting, 1 running\)/);
      return true;
    });
    assert.throws(() => queue.assertRoom('a'), { code: 'overloaded' });
    await queue.enqueue(task('3'), { force: true });
    for (const id of ['1', '2', '3']) await worker.finish(id);
    assert.deepEqual(worker.started, ['1', '2', '3']);
  });

  it('takes out a waiting task on remove, but not one already running', async () => {
    const queue = makeLocalQueue({ limitsOf: () => ({ concurrency: 1, bound: 10 }) });
    const worker = controlledWorker();
    queue.start(worker.work);
    await queue.enqueue(task('1'));
    await queue.enqueue(task('2'));
    assert.equal(await queue.remove('1'), false);
    assert.equal(await queue.remove('2'), true);
    assert.equal(await queue.remove('unknown'), false);
    await worker.finish('1');
    assert.deepEqual(worker.started, ['1']);
  });

  it('starts nothing new once paused, and says when the running tasks have settled', async () => {
    const queue = makeLocalQueue({ limitsOf: () => ({ concurrency: 1, bound: 10 }) });
    const worker = controlledWorker();
    queue.start(worker.work);
    await queue.enqueue(task('1'));
    await queue.enqueue(task('2'));
    queue.pause();
    let idle = false;
    const settled = queue.idle().then(() => (idle = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(idle, false);
    await worker.finish('1');
    await settled;
    assert.deepEqual(worker.started, ['1'], 'the waiting task stays queued');
  });

  it('goes on with the lane when a worker fails', async () => {
    const queue = makeLocalQueue({ limitsOf: () => ({ concurrency: 1, bound: 10 }) });
    const seen: string[] = [];
    queue.start(async (t) => {
      seen.push(t.id);
      if (t.id === '1') throw new Error('boom');
    });
    await queue.enqueue(task('1'));
    await queue.enqueue(task('2'));
    await queue.idle();
    assert.deepEqual(seen, ['1', '2']);
  });
});
