import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import type { TestHub } from '../support/test-hub.ts';
import { startGuardedHub } from './support/guarded-hub.ts';

type Json = Record<string, any>;

const post = (hub: TestHub, path: string, init: { key?: string; headers?: Record<string, string> } = {}) =>
  hub.call(path, { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: '{}', key: init.key });

async function newKey(hub: TestHub, body: Json = {}): Promise<string> {
  const res = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'rate', ...body }) });
  assert.equal(res.status, 201);
  return ((await res.json()) as { key: string }).key;
}

/** Sends `count` calls in a row and returns their statuses. */
async function statuses(count: number, call: () => Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await call();
    out.push(res.status);
    await res.arrayBuffer();
  }
  return out;
}

describe('rate limits with the Amphion defaults (10 a minute per route, 100 an hour per key)', () => {
  let hub: TestHub;
  before(async () => {
    // The dev key makes every test's keys: its own key-creation endpoint is configured roomier.
    hub = await startGuardedHub({ rateLimit: { perMinute: 10, perHour: 100, routes: { 'POST /keys': { perMinute: 1000 } } } });
  });
  after(() => hub.stop());

  it('answers the 11th call in a minute with 429, Retry-After and a detail', async () => {
    const key = await newKey(hub);
    assert.deepEqual(await statuses(10, () => post(hub, '/api/guarded/echo', { key })), Array(10).fill(200));
    const res = await post(hub, '/api/guarded/echo', { key });
    assert.equal(res.status, 429);
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    const { detail } = (await res.json()) as Json;
    assert.match(detail, /minute window of endpoint POST \/guarded\/echo \(10 requests per minute\) is used up/);
    const resetsAt = Date.parse(/resets at (\S+);/.exec(detail)?.[1] ?? '');
    assert.ok(resetsAt > Date.now() && resetsAt <= Date.now() + 60_000, `reset time in the detail: ${detail}`);
    assert.match(detail, /retry after \d+ s/);
  });

  it('admits exactly 10 of 50 concurrent requests with one key', async () => {
    const key = await newKey(hub);
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(hub, '/api/guarded/echo', { key })));
    const codes = answers.map((r) => r.status);
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    assert.equal(codes.filter((c) => c === 200).length, 10, codes.join(','));
    assert.equal(codes.filter((c) => c === 429).length, 40);
    // The 40 refusals did not spend the hourly quota: 10 of 100 are used.
    const next = await post(hub, '/api/guarded/heavy', { key });
    assert.match(next.headers.get('ratelimit') ?? '', /"key-hour"; r=89;/);
  });

  it("counts the client's own mistakes (400) but not the server's failures (503)", async () => {
    const key = await newKey(hub);
    const invalid = () => hub.call('/api/guarded/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"steps":"many"}', key });
    assert.deepEqual(await statuses(10, invalid), Array(10).fill(400));
    assert.equal((await post(hub, '/api/guarded/echo', { key })).status, 429, 'ten 400s used the minute');
    const failing = await statuses(15, () => post(hub, '/api/guarded/unavailable', { key }));
    assert.deepEqual(failing, Array(15).fill(503), 'server failures never meet the limit');
    const res = await post(hub, '/api/guarded/heavy', { key });
    assert.equal(res.status, 200);
    // 10 client errors and this call count; the 503s and the 429 do not.
    assert.match(res.headers.get('ratelimit') ?? '', /"key-hour"; r=89;/);
  });

  it('counts the model-management routes like every endpoint', async () => {
    const key = await newKey(hub, { role: 'admin' });
    assert.deepEqual(await statuses(11, () => hub.call('/api/models/status', { key })), [...Array(10).fill(200), 429]);
  });

  it('gives the task routes a roomier window of their own that does not spend the hourly quota', async () => {
    const key = await newKey(hub);
    assert.deepEqual(new Set(await statuses(30, () => hub.call('/api/tasks', { key }))), new Set([200]), 'polling is not held to 10 a minute');
    const res = await hub.call('/api/tasks', { key });
    assert.match(res.headers.get('ratelimit') ?? '', /"tasks-minute"; r=\d+;/);
    assert.doesNotMatch(res.headers.get('ratelimit') ?? '', /key-hour/);
    const plugin = await post(hub, '/api/guarded/echo', { key });
    assert.match(plugin.headers.get('ratelimit') ?? '', /"key-hour"; r=99;/, 'task polls left the hourly quota whole');
  });

  it('sends the standard RateLimit and RateLimit-Policy headers for each window', async () => {
    const key = await newKey(hub);
    const res = await post(hub, '/api/guarded/echo', { key });
    assert.equal(res.status, 200);
    const limit = res.headers.get('ratelimit') ?? '';
    const policy = res.headers.get('ratelimit-policy') ?? '';
    assert.match(limit, /"route-minute"; r=9; t=\d+/);
    assert.match(limit, /"key-hour"; r=99; t=\d+/);
    assert.match(policy, /"route-minute"; q=10; w=60/);
    assert.match(policy, /"key-hour"; q=100; w=3600/);
  });

  it('counts per key: another key still has its own ten calls', async () => {
    const first = await newKey(hub);
    const second = await newKey(hub);
    await statuses(10, () => post(hub, '/api/guarded/echo', { key: first }));
    assert.equal((await post(hub, '/api/guarded/echo', { key: first })).status, 429);
    assert.equal((await post(hub, '/api/guarded/echo', { key: second })).status, 200);
  });

  it('counts per route: a key over the limit on one route may call another', async () => {
    const key = await newKey(hub);
    await statuses(10, () => post(hub, '/api/guarded/echo', { key }));
    assert.equal((await post(hub, '/api/guarded/echo', { key })).status, 429);
    assert.equal((await post(hub, '/api/guarded/heavy', { key })).status, 200);
  });

  it('ignores client-supplied addresses: X-Forwarded-For and friends do not reset the count', async () => {
    const key = await newKey(hub);
    let n = 0;
    const spoofed = () => post(hub, '/api/guarded/echo', { key, headers: { 'x-forwarded-for': `10.0.0.${++n}`, 'x-real-ip': `10.1.0.${n}`, forwarded: `for=10.2.0.${n}` } });
    assert.deepEqual(await statuses(11, spoofed), [...Array(10).fill(200), 429]);
  });

  it('applies a route declared limit (perMinute 2 on /guarded/tight)', async () => {
    const key = await newKey(hub);
    assert.deepEqual(await statuses(3, () => post(hub, '/api/guarded/tight', { key })), [200, 200, 429]);
  });

  it("applies a key's own per-minute limit", async () => {
    const key = await newKey(hub, { per_minute: 3 });
    assert.deepEqual(await statuses(4, () => post(hub, '/api/guarded/echo', { key })), [200, 200, 200, 429]);
  });
});

describe('rate limits configured per hub, per route and per key', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub({ rateLimit: { perMinute: 100, perHour: 12, routes: { 'POST /guarded/echo': { perMinute: 4 }, 'POST /guarded/heavy': { cost: 5 } } } });
  });
  after(() => hub.stop());

  it('takes a route limit from config.rateLimit.routes', async () => {
    const key = await newKey(hub);
    assert.deepEqual(await statuses(5, () => post(hub, '/api/guarded/echo', { key })), [200, 200, 200, 200, 429]);
  });

  it('counts a route by the cost the operator configured for it (opt-in)', async () => {
    const key = await newKey(hub);
    // heavy is configured to count 5 units: two calls use 10 of the 12; a third would need 15.
    assert.deepEqual(await statuses(3, () => post(hub, '/api/guarded/heavy', { key })), [200, 200, 429]);
    const res = await post(hub, '/api/guarded/heavy', { key });
    assert.match(((await res.json()) as Json).detail, /hour window of this key \(12 requests per hour across all endpoints\) is used up \(this endpoint counts 5 units a request\)/);
    assert.ok(Number(res.headers.get('retry-after')) > 60, 'the hourly window resets within the hour');
  });

  it("applies a key's own hourly limit across routes", async () => {
    const key = await newKey(hub, { per_hour: 3 });
    const calls = [() => post(hub, '/api/guarded/echo', { key }), () => post(hub, '/api/guarded/tight', { key }), () => post(hub, '/api/guarded/echo', { key }), () => post(hub, '/api/guarded/tight', { key })];
    const out: number[] = [];
    for (const call of calls) out.push((await call()).status);
    assert.deepEqual(out, [200, 200, 200, 429]);
  });

  it('leaves health and docs unlimited', async () => {
    assert.deepEqual(new Set(await statuses(20, () => hub.call('/api/health', { key: null }))), new Set([200]));
  });
});

describe('the hourly quota of a key, on an injected clock', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub({ rateLimit: { perMinute: 10, perHour: 100 } });
  });
  after(() => hub.stop());

  it('admits 100 requests an hour across endpoints, refuses the 101st, and admits again an hour later', async () => {
    const firstKey = await newKey(hub);
    const otherKey = await newKey(hub);
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      const admitted: number[] = [];
      // Ten a minute on each endpoint: move the clock a minute on after every ten.
      for (let minute = 0; minute < 10; minute++) {
        const path = minute % 2 === 0 ? '/api/guarded/echo' : '/api/guarded/heavy';
        admitted.push(...(await statuses(10, () => post(hub, path, { key: firstKey }))));
        mock.timers.tick(61_000);
      }
      assert.deepEqual(admitted, Array(100).fill(200));
      const refused = await post(hub, '/api/guarded/echo', { key: firstKey });
      assert.equal(refused.status, 429);
      const { detail } = (await refused.json()) as Json;
      assert.match(detail, /hour window of this key \(100 requests per hour across all endpoints\) is used up/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter > 60 && retryAfter <= 3600 - 10 * 61 + 1, `Retry-After ${retryAfter}`);
      assert.equal((await post(hub, '/api/guarded/echo', { key: otherKey })).status, 200, 'another key has its own hour');
      mock.timers.tick(retryAfter * 1000);
      assert.equal((await post(hub, '/api/guarded/echo', { key: firstKey })).status, 200, 'the hour has reset');
    } finally {
      mock.timers.reset();
    }
  });
});
