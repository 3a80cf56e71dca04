// The log lines a request leaves: one id on all of them (the client's X-Request-Id or a
// new one), including lines written by the ONNX layer on its behalf, and never a key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeLogger } from '../../core/log/logger.ts';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../support/smoke.ts';
import { DEV_KEY, startTestHub, type TestHub } from '../support/test-hub.ts';
import { melData, npyBlob } from '../../plugins/mel-vocoder/test-support.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
type Line = Record<string, unknown>;

describe('request logs', () => {
  let hub: TestHub;
  const raw: string[] = [];
  const lines = () => raw.map((l) => JSON.parse(l) as Line);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50)); // the request line is written on close

  before(async () => {
    hub = await startTestHub({}, { NODE_ENV: 'test' }, { logger: makeLogger({ level: 'debug', write: (line) => raw.push(line) }) });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT));
  });
  after(() => hub.stop());

  it('puts the client X-Request-Id on every line of its request, the ONNX layer\'s included', async () => {
    const form = new FormData();
    form.set('audio', npyBlob(melData(80, 12), [80, 12]), 'mel.npy');
    const res = await hub.call('/api/vocoder/hifigan', { method: 'POST', body: form, headers: { 'x-request-id': 'trace-onnx-0001' } });
    assert.equal(res.status, 200, await res.clone().text());
    await res.arrayBuffer();
    await settle();
    const mine = lines().filter((l) => l.requestId === 'trace-onnx-0001');
    const loaded = mine.find((l) => l.msg === 'graph loaded');
    assert.ok(loaded, `no 'graph loaded' line carries the request id: ${JSON.stringify(lines().filter((l) => l.msg === 'graph loaded'))}`);
    assert.equal(loaded.plugin, 'hifigan');
    const request = mine.find((l) => l.msg === 'request');
    assert.ok(request, 'no request line');
    assert.deepEqual([request.method, request.path, request.status, request.level], ['POST', '/api/vocoder/hifigan', 200, 'info']);
    assert.equal(typeof request.ms, 'number');
  });

  it('makes an id when the client sends none (or an unsafe one), and logs it', async () => {
    for (const headers of [{}, { 'x-request-id': 'bad id\twith "quotes"' }] as Record<string, string>[]) {
      const res = await hub.call('/api/health', { key: null, headers });
      const id = res.headers.get('x-request-id') ?? '';
      assert.match(id, /^[0-9a-f-]{36}$/);
      await settle();
      assert.ok(lines().some((l) => l.requestId === id && l.msg === 'request'));
    }
  });

  it('never writes a key, from any header or query parameter that carries one, nor a body', async () => {
    const made = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'logged' }) });
    assert.equal(made.status, 201, await made.clone().text());
    const { key } = (await made.json()) as { key: string };
    const unknown = `hub_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    const bodyMarker = `body-marker-${randomBytes(6).toString('hex')}`;
    for (const secret of [key, DEV_KEY, unknown]) {
      const carriers: RequestInit[] = [
        { headers: { 'x-api-key': secret } },
        { headers: { authorization: `Bearer ${secret}` } },
        { headers: { authorization: `Api-Key ${secret}` } },
        { headers: { 'x-api-key': secret, 'content-type': 'application/json' }, method: 'POST', body: JSON.stringify({ name: bodyMarker }) },
      ];
      for (const init of carriers) await (await hub.call(init.method === 'POST' ? '/api/keys' : '/api/health', { ...init, key: null })).arrayBuffer();
      await (await hub.call(`/api/tasks/00000000-0000-0000-0000-000000000000/events?api_key=${encodeURIComponent(secret)}`, { key: null })).arrayBuffer();
    }
    await settle();
    const log = raw.join('');
    assert.ok(lines().filter((l) => l.msg === 'request').length >= 15, 'the calls were logged');
    assert.ok(lines().some((l) => typeof l.path === 'string' && l.path.endsWith('/events')), 'the query-key call was logged');
    for (const secret of [key, key.slice(-43), DEV_KEY, unknown, bodyMarker]) assert.equal(log.includes(secret), false, `'${secret.slice(0, 12)}…' reached the log`);
  });
});
