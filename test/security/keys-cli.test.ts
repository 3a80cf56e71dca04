import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestHub } from '../support/test-hub.ts';
import { startGuardedHub } from './support/guarded-hub.ts';
import { runKeysCli } from './support/keys-cli.ts';

describe('the keys CLI (npm run keys)', () => {
  let dir: string;
  let hub: TestHub;
  const cli = (...args: string[]) => runKeysCli(args, { HUB_DATA_DIR: dir, NODE_ENV: 'test' });
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-cli-'));
    hub = await startGuardedHub({ dataDir: dir });
  });
  after(async () => {
    await hub.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is wired as the npm script `keys`', () => {
    const result = spawnSync('npm', ['run', '--silent', 'keys', '--', 'help'], { cwd: resolve(import.meta.dirname, '..', '..'), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /create \[options\] +create a key/);
  });

  it('creates a key, prints it once, and the running hub accepts it', async () => {
    const made = await cli('create', '--name', 'alice', '--role', 'user', '--per-minute', '5');
    assert.equal(made.code, 0, made.stderr);
    const key = /(hub_[0-9a-f]{16}_[A-Za-z0-9_-]{43})/.exec(made.stdout)?.[1];
    assert.ok(key, made.stdout);
    assert.match(made.stdout, /only its hash/);
    const res = await hub.call('/api/guarded/tight', { method: 'POST', key });
    assert.equal(res.status, 200);
  });

  it('lists keys with role, status and limits but never the keys', async () => {
    const made = await cli('create', '--name', 'bob', '--expires', '30d', '--json');
    const { key, id } = JSON.parse(made.stdout) as { key: string; id: string };
    const listed = await cli('list');
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, new RegExp(`${id}\\s+bob\\s+user\\s+active`));
    assert.ok(!listed.stdout.includes(key.split('_')[2]!));
    const json = JSON.parse((await cli('list', '--json')).stdout) as { id: string; name: string; expires_at: string | null; key?: string }[];
    const bob = json.find((k) => k.id === id)!;
    assert.equal(bob.key, undefined);
    assert.ok(bob.expires_at && Date.parse(bob.expires_at) > Date.now() + 29 * 86_400_000);
  });

  it('revokes a key, after which the running hub answers 401', async () => {
    const { key, id } = JSON.parse((await cli('create', '--name', 'carol', '--json')).stdout) as { key: string; id: string };
    assert.equal((await hub.call('/api/guarded/tight', { method: 'POST', key })).status, 200);
    const revoked = await cli('revoke', id);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /revoked key/);
    assert.equal((await hub.call('/api/guarded/tight', { method: 'POST', key })).status, 401);
    assert.match((await cli('list')).stdout, new RegExp(`${id}\\s+carol\\s+user\\s+revoked`));
  });

  it('exits non-zero with a message for bad input', async () => {
    const missing = await cli('revoke', 'ffffffffffffffff');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no API key has id/);
    const noName = await cli('create');
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /required option '--name <name>' not specified/);
    const badRole = await cli('create', '--name', 'x', '--role', 'root');
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /role: must be one of/);
    const badLimit = await cli('create', '--name', 'x', '--per-hour', '-3');
    assert.equal(badLimit.code, 2);
    const unknown = await cli('frobnicate');
    assert.equal(unknown.code, 2);
  });
});
