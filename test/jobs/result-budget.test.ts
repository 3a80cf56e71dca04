// Stored results are bounded per key and in total (issue 26 §0.9): the oldest expire first,
// and a result larger than a budget on its own fails its task saying so.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestHub } from '../support/test-hub.ts';
import { startJobsHub, submit, waitForStatus } from './support.ts';

/** slow-tone returns N × 10 ms of 16 kHz 16-bit mono: a 44-byte header plus 320 bytes a step. */
const wavBytes = (steps: number) => 44 + steps * 320;

describe('the result byte budget', () => {
  let hub: TestHub;
  let other: string;
  before(async () => {
    hub = await startJobsHub({ jobs: { progressIntervalMs: 0, persistIntervalMs: 0, resultBudget: { perKeyBytes: 10_000, totalBytes: 16_000 } } });
    const made = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'other', role: 'user' }) });
    other = ((await made.json()) as { key: string }).key;
  });
  after(() => hub.stop());

  const run = async (steps: number, key?: string) => {
    const accepted = await submit(hub, '/audio/slow-tone', { steps, delay_ms: 0 }, { key });
    return waitForStatus(hub, accepted.task_id, (t) => t.status === 'done' || t.status === 'error', key);
  };
  const kept = async (id: string, key?: string) => (await hub.call(`/api/tasks/${id}/result`, { key })).status === 200;

  it("expires a key's oldest results first to keep it within its budget", async () => {
    const first = [await run(10), await run(10), await run(10)];
    assert.ok(first.every((t) => t.status === 'done' && t.result.bytes === wavBytes(10)));
    assert.deepEqual(await Promise.all(first.map((t) => kept(t.task_id))), [true, true, true], '3 × 3,244 bytes fit in 10,000');
    const fourth = await run(10);
    assert.equal(fourth.status, 'done');
    assert.deepEqual(await Promise.all([...first, fourth].map((t) => kept(t.task_id))), [false, true, true, true], 'the oldest made room');
    assert.equal((await hub.call(`/api/tasks/${first[0]!.task_id}`)).status, 404);
  });

  it('fails a task whose result alone is over the per-key budget, and says so', async () => {
    const huge = await run(40);
    assert.equal(huge.status, 'error');
    assert.equal(huge.error.status, 507);
    assert.match(huge.error.detail, /^the result is 12844 bytes, more than the 10000 bytes one key may keep/);
  });

  it('keeps all keys together within the total budget, expiring the oldest of anyone', async () => {
    const before = (await (await hub.call('/api/tasks?status=done')).json()) as { tasks: { task_id: string }[] };
    assert.equal(before.tasks.length, 3, '9,732 bytes of the first key stay');
    const mine = await run(10, other);
    assert.equal(mine.status, 'done', '12,976 bytes in all: within 16,000');
    const again = await run(10, other);
    assert.equal(again.status, 'done');
    const oldest = before.tasks.at(-1)!.task_id;
    assert.equal(await kept(oldest), false, "the oldest result of the hub (another key's) made room");
    assert.deepEqual([await kept(mine.task_id, other), await kept(again.task_id, other)], [true, true]);
  });
});
