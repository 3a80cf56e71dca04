import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../core/hub.ts';
import { makeLogger } from '../../core/log/logger.ts';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';
import { FIXTURE_REGISTRY, startGuardedHub } from './support/guarded-hub.ts';

const SECURITY_HEADERS = ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy', 'cross-origin-opener-policy'];

describe('security headers and request ids', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub();
  });
  after(() => hub.stop());

  it('puts the security headers and a request id on every response, whatever its status', async () => {
    const answers = [
      await hub.call('/api/health', { key: null }),
      await hub.call('/api/no/such/route'),
      await hub.call('/api/guarded/echo', { method: 'POST', key: null }),
      await hub.call('/api/guarded/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' }),
      await hub.call('/api/guarded/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":' }),
      await hub.call('/api/docs/'),
    ];
    assert.deepEqual(answers.map((r) => r.status), [200, 404, 401, 200, 400, 200]);
    for (const res of answers) {
      for (const name of SECURITY_HEADERS) assert.ok(res.headers.get(name), `${res.url} ${res.status} lacks ${name}`);
      assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(res.headers.get('x-powered-by'), null);
    }
    assert.equal(answers[0]!.headers.get('cache-control'), 'no-store');
    assert.equal(answers[0]!.headers.get('x-content-type-options'), 'nosniff');
    assert.match(answers[0]!.headers.get('content-security-policy')!, /default-src 'none'/);
    assert.match(answers[5]!.headers.get('content-security-policy')!, /script-src 'self'/);
  });

  it("keeps a client's request id when it is safe and replaces it when it is not", async () => {
    const kept = await hub.call('/api/health', { key: null, headers: { 'x-request-id': 'client-trace-0001' } });
    assert.equal(kept.headers.get('x-request-id'), 'client-trace-0001');
    const replaced = await hub.call('/api/health', { key: null, headers: { 'x-request-id': 'bad id\twith "quotes"' } });
    assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});

describe('Strict-Transport-Security', () => {
  let direct: TestHub;
  let proxied: TestHub;
  before(async () => {
    direct = await startGuardedHub();
    proxied = await startGuardedHub({ server: { trustProxy: 'loopback' } });
  });
  after(async () => {
    await direct.stop();
    await proxied.stop();
  });
  const hsts = async (hub: TestHub, headers: Record<string, string> = {}) => (await hub.call('/api/health', { key: null, headers })).headers.get('strict-transport-security');

  it('is sent only for requests that arrived over TLS: at a trusted proxy, or on the connection itself', async () => {
    assert.equal(await hsts(direct), null, 'plain HTTP');
    assert.equal(await hsts(direct, { 'x-forwarded-proto': 'https' }), null, 'a header from an untrusted client says nothing');
    assert.equal(await hsts(proxied), null, 'plain HTTP through the proxy');
    assert.equal(await hsts(proxied, { 'x-forwarded-proto': 'https' }), 'max-age=31536000');
  });
});

describe('CORS', () => {
  let closed: TestHub;
  let open: TestHub;
  before(async () => {
    closed = await startGuardedHub();
    open = await startGuardedHub({ server: { corsOrigins: ['https://studio.example.org'] } });
  });
  after(async () => {
    await closed.stop();
    await open.stop();
  });
  const preflight = (hub: TestHub, origin: string) =>
    hub.call('/api/guarded/echo', { method: 'OPTIONS', key: null, headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key, content-type' } });

  it('is off by default: no Access-Control headers, and preflights are not approved', async () => {
    const res = await closed.call('/api/health', { headers: { origin: 'https://studio.example.org' } });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const pre = await preflight(closed, 'https://studio.example.org');
    assert.notEqual(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
  });

  it('answers a listed origin with its own origin, the exposed headers and Vary: Origin', async () => {
    const res = await open.call('/api/guarded/echo', { method: 'POST', headers: { origin: 'https://studio.example.org', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://studio.example.org');
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /Retry-After.*RateLimit/);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
    const pre = await preflight(open, 'https://studio.example.org');
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /X-API-Key/);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  it('still requires a key from a listed origin, and lets the page read the 401', async () => {
    const res = await open.call('/api/guarded/echo', { method: 'POST', key: null, headers: { origin: 'https://studio.example.org' } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://studio.example.org');
  });

  it('gives an unlisted origin no CORS headers and refuses its preflight with 403', async () => {
    const res = await open.call('/api/health', { headers: { origin: 'https://evil.example.com' } });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const pre = await preflight(open, 'https://evil.example.com');
    assert.equal(pre.status, 403);
    assert.match(((await pre.json()) as { detail: string }).detail, /origin 'https:\/\/evil.example.com' is not allowed/);
  });
});

describe('logs', () => {
  let hub: Hub;
  let dataDir: string;
  const lines: string[] = [];
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hub-logs-'));
    hub = await startHub({
      overrides: { server: { port: 0, host: '127.0.0.1' }, dataDir, registry: FIXTURE_REGISTRY, logLevel: 'debug', rateLimit: { perMinute: 1000, perHour: 10000 } },
      env: { NODE_ENV: 'test' },
      logger: makeLogger({ level: 'debug', write: (line) => lines.push(line) }),
    });
  });
  after(async () => {
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('log each request with its request id and key id, never the key or the body', async () => {
    const marker = 'body-marker-7f3a9c';
    const made = await fetch(`${hub.url}/api/keys`, { method: 'POST', headers: { 'x-api-key': DEV_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'logged' }) });
    const { key, id } = (await made.json()) as { key: string; id: string };
    const calls = [
      await fetch(`${hub.url}/api/guarded/echo`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: marker }) }),
      await fetch(`${hub.url}/api/guarded/echo`, { method: 'POST', headers: { 'x-api-key': `${key}x`, 'content-type': 'application/json' }, body: JSON.stringify({ text: marker }) }),
      await fetch(`${hub.url}/api/guarded/echo`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: `{"text": "${marker}"` }),
    ];
    assert.deepEqual(calls.map((c) => c.status), [200, 401, 400]);
    await new Promise((resolve) => setTimeout(resolve, 50)); // access lines are written when each response closes
    const log = lines.join('\n');
    for (const res of calls) {
      const requestId = res.headers.get('x-request-id')!;
      const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === requestId);
      assert.ok(line, `no log line for request ${requestId}`);
      assert.equal(line.status, res.status);
    }
    assert.ok(lines.some((l) => (JSON.parse(l) as Record<string, unknown>).key === id), 'the key id is logged');
    assert.equal(log.includes(key), false, 'a key reached the log');
    // The secret is base64url and may itself contain '_': take everything after `hub_<id>_`.
    const secret = key.slice(`hub_${id}_`.length);
    assert.equal(secret.length, 43);
    assert.equal(log.includes(secret), false, "a key's secret reached the log");
    assert.equal(log.includes(DEV_KEY), false, 'the development key reached the log');
    assert.equal(log.includes(marker), false, 'a request body reached the log');
  });
});
