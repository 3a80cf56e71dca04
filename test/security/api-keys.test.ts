import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';
import { startGuardedHub } from './support/guarded-hub.ts';

type Json = Record<string, any>;

async function createKey(hub: TestHub, body: Json, key: string = DEV_KEY): Promise<Json> {
  const res = await hub.call('/api/keys', { method: 'POST', key, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as Json;
}

const echo = (hub: TestHub, init: RequestInit & { key?: string | null } = {}) =>
  hub.call('/api/guarded/echo', { method: 'POST', headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) }, body: '{"text":"hi"}', key: init.key });

describe('API keys over real HTTP', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub();
  });
  after(() => hub.stop());

  it('answers 401 with a detail and WWW-Authenticate when no key is sent', async () => {
    const res = await echo(hub, { key: null });
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as Json).detail, /missing API key/);
    assert.ok(res.headers.get('www-authenticate'));
  });

  it('answers 401 for an unknown key, a well-formed but wrong key, and an unsupported scheme', async () => {
    for (const headers of [{ 'x-api-key': 'nope' }, { 'x-api-key': `hub_0123456789abcdef_${'A'.repeat(43)}` }, { authorization: 'Basic dXNlcjpwYXNz' }] as Record<string, string>[]) {
      const res = await echo(hub, { key: null, headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.ok(((await res.json()) as Json).detail);
    }
  });

  it('accepts the key as X-API-Key, Authorization: Api-Key and Authorization: Bearer', async () => {
    const { key } = await createKey(hub, { name: 'three-ways', role: 'user' });
    for (const headers of [{ 'x-api-key': key }, { authorization: `Api-Key ${key}` }, { authorization: `Bearer ${key}` }, { authorization: `bearer   ${key}` }] as Record<string, string>[]) {
      const res = await echo(hub, { key: null, headers });
      assert.equal(res.status, 200, JSON.stringify(headers));
    }
  });

  it('lets the development key act as admin outside production', async () => {
    const res = await hub.call('/api/keys');
    assert.equal(res.status, 200);
  });

  it('answers 403 when a user key calls an admin route, naming the role', async () => {
    const { key } = await createKey(hub, { name: 'plain-user' });
    const res = await hub.call('/api/keys', { key });
    assert.equal(res.status, 403);
    assert.match(((await res.json()) as Json).detail, /admin role/);
  });

  it('lets a created admin key manage keys', async () => {
    const admin = await createKey(hub, { name: 'second-admin', role: 'admin' });
    const made = await createKey(hub, { name: 'made-by-admin', per_minute: 7 }, admin.key);
    assert.equal(made.role, 'user');
    assert.equal(made.per_minute, 7);
    const list = (await (await hub.call('/api/keys', { key: admin.key })).json()) as { keys: Json[] };
    const listed = list.keys.find((k) => k.id === made.id)!;
    assert.equal(listed.name, 'made-by-admin');
    assert.equal(listed.key, undefined, 'a listed key never carries the key itself');
  });

  it('refuses a revoked key with 401 and says it was revoked', async () => {
    const { id, key } = await createKey(hub, { name: 'to-revoke' });
    assert.equal((await echo(hub, { key })).status, 200);
    const revoked = await hub.call(`/api/keys/${id}`, { method: 'DELETE' });
    assert.equal(revoked.status, 204);
    const res = await echo(hub, { key });
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as Json).detail, /revoked/);
    assert.equal((await hub.call('/api/keys/0000000000000000', { method: 'DELETE' })).status, 404);
  });

  it('refuses an expired key with 401', async () => {
    const { id, key } = await createKey(hub, { name: 'short-lived', expires: '1h' });
    assert.equal((await echo(hub, { key })).status, 200);
    const db = new Database(join(hub.dataDir, 'hub.db'));
    db.prepare('UPDATE api_keys SET expires_at = ? WHERE id = ?').run('2000-01-01T00:00:00.000Z', id);
    db.close();
    const res = await echo(hub, { key });
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as Json).detail, /expired/);
  });

  it('answers 400 (malformed) or 422 (out of range) naming the field for a bad key request', async () => {
    for (const [body, field, status] of [[{ role: 'user' }, 'name', 400], [{ name: 'x', role: 'root' }, 'role', 422], [{ name: 'x', expires: 'yesterday' }, 'expires', 400], [{ name: 'x', per_minute: 0 }, 'per_minute', 422]] as const) {
      const res = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, status, JSON.stringify(body));
      assert.match(((await res.json()) as Json).detail, new RegExp(`^${field}`));
    }
  });

  it('stores keys only as SHA-256 digests: the database files never hold a key', async () => {
    const { id, key } = await createKey(hub, { name: 'look-for-me' });
    assert.match(key, /^hub_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const secret = key.split('_').slice(2).join('_');
    const files = (await readdir(hub.dataDir)).filter((f) => f.startsWith('hub.db'));
    assert.ok(files.includes('hub.db'));
    for (const file of files) {
      const bytes = await readFile(join(hub.dataDir, file));
      assert.equal(bytes.includes(secret), false, `${file} holds the key's secret`);
      assert.equal(bytes.includes(key), false, `${file} holds the key`);
    }
    const db = new Database(join(hub.dataDir, 'hub.db'), { readonly: true });
    const row = db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as Json;
    db.close();
    assert.deepEqual(Buffer.from(row.hash), createHash('sha256').update(key).digest());
    assert.deepEqual(Object.keys(row).sort(), ['created_at', 'expires_at', 'hash', 'id', 'last_used_at', 'name', 'per_hour', 'per_minute', 'revoked_at', 'role']);
  });

  it('records when a key was last used', async () => {
    const { id, key } = await createKey(hub, { name: 'used' });
    assert.equal((await echo(hub, { key })).status, 200);
    const list = (await (await hub.call('/api/keys')).json()) as { keys: Json[] };
    const used = list.keys.find((k) => k.id === id)!;
    assert.ok(used.last_used_at && Date.parse(used.last_used_at) >= Date.parse(used.created_at));
  });

  it('keeps /api/health and the docs open without a key', async () => {
    assert.equal((await hub.call('/api/health', { key: null })).status, 200);
    assert.equal((await hub.call('/api/openapi.json', { key: null })).status, 200);
  });
});

describe('closed docs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub({ server: { openDocs: false } });
  });
  after(() => hub.stop());

  it('puts /api/openapi.json and /api/docs behind the key when server.openDocs is false', async () => {
    assert.equal((await hub.call('/api/openapi.json', { key: null })).status, 401);
    assert.equal((await hub.call('/api/docs/', { key: null })).status, 401);
    assert.equal((await hub.call('/api/openapi.json')).status, 200);
    assert.equal((await hub.call('/api/health', { key: null })).status, 200);
  });
});
