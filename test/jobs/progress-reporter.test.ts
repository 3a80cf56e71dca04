import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HubConfig } from '../../core/config/load-config.ts';
import { makeProgressBus } from '../../core/jobs/progress-bus.ts';
import { makeProgressReporter } from '../../core/jobs/progress-reporter.ts';
import { makeTaskStore, type TaskStore } from '../../core/jobs/task-store.ts';
import type { ProgressEvent } from '../../core/jobs/types.ts';
import { openDatabase, type Db } from '../../core/store/database.ts';

describe('progress reporting from a handler', () => {
  let dir: string;
  let db: Db;
  let store: TaskStore;
  let next = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jobs-progress-'));
    db = openDatabase({ config: { dataDir: dir } as HubConfig });
    store = makeTaskStore({ db });
  });
  after(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A running task in the real store, a bus subscriber recording events, and the store's writes counted. */
  function running(options: { intervalMs: number; persistIntervalMs: number }) {
    const id = `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
    store.insert({ id, owner: 'k', plugin: 'p', method: 'POST', path: '/x', input: {}, format: 'json', requestId: 'r', createdAt: Date.now() });
    store.markRunning(id, Date.now());
    const writes: number[] = [];
    const counted: TaskStore = { ...store, saveProgress: (...args) => (writes.push(args[1]), store.saveProgress(...args)) };
    const bus = makeProgressBus();
    const events: ProgressEvent[] = [];
    let waiting: ((e: ProgressEvent) => void) | undefined;
    bus.subscribe(id, { next: (e) => (events.push(e), waiting?.(e)), end: () => {} });
    const reporter = makeProgressReporter({ taskId: id, bus, store: counted, ...options });
    // The reporter's timers are unref'd (they must not keep a hub alive): hold the loop open while waiting.
    const nextEvent = () => {
      const keepAlive = setTimeout(() => {}, 10_000);
      return new Promise<ProgressEvent>((resolve) => (waiting = resolve)).finally(() => clearTimeout(keepAlive));
    };
    return { id, reporter, events, writes, nextEvent, bus };
  }

  it('sends a burst of reports as one message and one write now, then the latest state once the interval has passed', async () => {
    const task = running({ intervalMs: 500, persistIntervalMs: 500 });
    for (let i = 1; i <= 1000; i++) task.reporter.report(i / 1000, `frame ${i}`);
    const trailing = task.nextEvent();
    assert.deepEqual(task.events.map((e) => e.progress), [0, 0.001], 'the start and the first report');
    assert.deepEqual(task.writes, [0.001]);
    const latest = await trailing;
    assert.equal(latest.progress, 1);
    assert.equal(latest.message, 'frame 1000');
    while (task.writes.length < 2) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(task.writes, [0.001, 1]);
    assert.equal(store.get(task.id)!.progress, 1);
    assert.equal(store.get(task.id)!.message, 'frame 1000');
    task.reporter.close();
  });

  it('sends a new stage at once, even inside the interval', () => {
    const task = running({ intervalMs: 60_000, persistIntervalMs: 60_000 });
    task.reporter.report(0.1, 'a', 'encoder');
    task.reporter.report(0.2, 'b', 'encoder');
    task.reporter.report(0.3, 'c', 'decoder');
    assert.deepEqual(task.events.map((e) => [e.stage, e.progress]), [['running', 0], ['encoder', 0.1], ['decoder', 0.3]]);
    task.reporter.close();
  });

  it('clamps the fraction to 0..1, ignores NaN, keeps the last message and stage when omitted', () => {
    const task = running({ intervalMs: 0, persistIntervalMs: 0 });
    task.reporter.report(2, 'over', 'loop');
    task.reporter.report(-1);
    task.reporter.report(Number.NaN, 'ignored');
    task.reporter.report('0.5' as unknown as number, 'ignored');
    task.reporter.report(0.5, 'x'.repeat(2000));
    assert.deepEqual(task.events.slice(1).map((e) => [e.progress, e.stage, e.message.length]), [[1, 'loop', 4], [0, 'loop', 4], [0.5, 'loop', 500]]);
    task.reporter.close();
  });

  it('sends nothing after close, so no progress can follow the final event', async () => {
    const task = running({ intervalMs: 20, persistIntervalMs: 20 });
    task.reporter.report(0.1);
    task.reporter.report(0.2); // would be sent by the trailing timer
    task.reporter.close();
    task.reporter.report(0.3);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(task.events.map((e) => e.progress), [0, 0.1]);
    assert.deepEqual(task.writes, [0.1]);
  });
});
