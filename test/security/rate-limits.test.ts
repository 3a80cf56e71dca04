import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
    hub = await startGuardedHub({ rateLimit: { perMinute: 10, perHour: 100 } });
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
    assert.match(detail, /10 per minute on POST \/guarded\/echo/);
    assert.match(detail, /retry after \d+ s/);
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
    hub = await startGuardedHub({ rateLimit: { perMinute: 100, perHour: 12, routes: { 'POST /guarded/echo': { perMinute: 4 } } } });
  });
  after(() => hub.stop());

  it('takes a route limit from config.rateLimit.routes', async () => {
    const key = await newKey(hub);
    assert.deepEqual(await statuses(5, () => post(hub, '/api/guarded/echo', { key })), [200, 200, 200, 200, 429]);
  });

  it('counts every route against the hourly limit of the key, heavier routes by their cost', async () => {
    const key = await newKey(hub);
    // heavy costs 5 units: two calls use 10 of the 12; a third would need 15.
    assert.deepEqual(await statuses(3, () => post(hub, '/api/guarded/heavy', { key })), [200, 200, 429]);
    const res = await post(hub, '/api/guarded/heavy', { key });
    assert.match(((await res.json()) as Json).detail, /12 per hour across all routes \(this route costs 5 units a call\)/);
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
