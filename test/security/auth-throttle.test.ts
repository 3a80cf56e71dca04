// The brute-force guard (issue 26 §0.7): failed authentications are limited per client
// address and per key id, with 429 + Retry-After; client-sent forwarding headers pick no
// new counter (trust proxy is off). Each case calls from its own loopback address
// (127.0.0.x), so the per-address counters of one case do not touch another's.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it, mock } from 'node:test';
import type { TestHub } from '../support/test-hub.ts';
import { startGuardedHub } from './support/guarded-hub.ts';

function call(hub: TestHub, from: string, headers: Record<string, string>): Promise<{ status: number; retryAfter: string | undefined; json: Record<string, any> }> {
  const { hostname, port } = new URL(hub.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: '/api/keys', method: 'GET', localAddress: from, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any> }));
    });
    req.on('error', reject);
    req.end();
  });
}

const wrongKey = (id = Math.random().toString(16).slice(2, 18).padEnd(16, '0')) => `hub_${id}_${'x'.repeat(43)}`;

describe('failed authentications are throttled per address and per key id', () => {
  let hub: TestHub;
  let realKey: string;
  let realId: string;
  before(async () => {
    hub = await startGuardedHub({ rateLimit: { failedAuth: { perAddress: 5, perKeyId: 3, windowSeconds: 60 } } });
    const res = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'victim', role: 'admin' }) });
    assert.equal(res.status, 201, await res.clone().text());
    realKey = ((await res.json()) as { key: string }).key;
    realId = realKey.split('_')[1]!;
  });
  after(() => hub.stop());

  it('answers 429 with Retry-After to an address after 5 failures, even to a right key', async () => {
    const from = '127.0.0.2';
    for (let i = 0; i < 5; i++) assert.equal((await call(hub, from, { 'x-api-key': wrongKey() })).status, 401);
    const refused = await call(hub, from, { 'x-api-key': wrongKey() });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.retryAfter) >= 1 && Number(refused.retryAfter) <= 60, `Retry-After ${refused.retryAfter}`);
    assert.match(refused.json.detail, /too many failed authentications from this address/);
    assert.equal((await call(hub, from, { 'x-api-key': realKey })).status, 429, 'no guess is checked while refused');
    assert.equal((await call(hub, '127.0.0.3', { 'x-api-key': realKey })).status, 200, 'another address is not affected');
  });

  it('refuses a key id after 3 wrong secrets for it, whatever the address', async () => {
    const other = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'target', role: 'admin' }) });
    const target = ((await other.json()) as { key: string }).key;
    const id = target.split('_')[1]!;
    for (const [i, from] of ['127.0.0.4', '127.0.0.5', '127.0.0.6'].entries()) assert.equal((await call(hub, from, { 'x-api-key': wrongKey(id) })).status, 401, `guess ${i + 1}`);
    const refused = await call(hub, '127.0.0.7', { 'x-api-key': target });
    assert.equal(refused.status, 429);
    assert.match(refused.json.detail, new RegExp(`key id ${id}`));
    assert.equal((await call(hub, '127.0.0.7', { 'x-api-key': realKey })).status, 200, `key ${realId} is not affected`);
  });

  it('ignores X-Forwarded-For: a client cannot pick a fresh counter', async () => {
    const from = '127.0.0.8';
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(hub, from, { 'x-api-key': wrongKey(), 'x-forwarded-for': `10.9.0.${i}`, forwarded: `for=10.8.0.${i}` })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
  });

  it('does not count requests that present no key at all', async () => {
    const from = '127.0.0.9';
    for (let i = 0; i < 8; i++) assert.equal((await call(hub, from, {})).status, 401);
    assert.equal((await call(hub, from, { 'x-api-key': realKey })).status, 200);
  });

  it('lets the address in again once its window has passed', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      const from = '127.0.0.10';
      for (let i = 0; i < 5; i++) await call(hub, from, { 'x-api-key': wrongKey() });
      assert.equal((await call(hub, from, { 'x-api-key': realKey })).status, 429);
      mock.timers.tick(61_000);
      assert.equal((await call(hub, from, { 'x-api-key': realKey })).status, 200);
    } finally {
      mock.timers.reset();
    }
  });
});
