import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { CREATE_ADMIN_COMMAND, StartupRefused } from '../../core/security/production-check.ts';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';
import { startGuardedHub } from './support/guarded-hub.ts';
import { runKeysCli } from './support/keys-cli.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PRODUCTION = { NODE_ENV: 'production' };
const OPERATOR_KEY = 'operator-secret-for-tests-0123456789';

/** Runs `npm start`'s entry point and collects its output until it exits or prints `until`. */
function runMain(env: NodeJS.ProcessEnv, until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/main.ts'], { cwd: ROOT, env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', HUB_LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
      if (until?.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('production mode', () => {
  const dirs: string[] = [];
  const hubs: TestHub[] = [];
  const dataDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hub-prod-'));
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    for (const hub of hubs) await hub.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start without an admin key and says how to create one', async () => {
    await assert.rejects(startGuardedHub({}, PRODUCTION), (error: Error) => {
      assert.ok(error instanceof StartupRefused);
      assert.match(error.message, /no admin API key/);
      assert.ok(error.message.includes(CREATE_ADMIN_COMMAND), error.message);
      assert.match(error.message, /HUB_ADMIN_KEY/);
      return true;
    });
  });

  it('refuses an operator key that is the public development key', async () => {
    await assert.rejects(startGuardedHub({}, { ...PRODUCTION, HUB_ADMIN_KEY: DEV_KEY }), /public development key/);
  });

  it('starts with HUB_ADMIN_KEY, accepts it as admin and refuses the development key', async () => {
    const hub = await startGuardedHub({}, { ...PRODUCTION, HUB_ADMIN_KEY: OPERATOR_KEY });
    hubs.push(hub);
    const dev = await hub.call('/api/keys');
    assert.equal(dev.status, 401);
    assert.match(((await dev.json()) as { detail: string }).detail, /development key is refused in production/);
    assert.equal((await hub.call('/api/keys', { key: OPERATOR_KEY })).status, 200);
  });

  it('starts when the database holds an admin key made with the CLI, and accepts that key', async () => {
    const dir = await dataDir();
    const made = await runKeysCli(['create', '--name', 'ops', '--role', 'admin', '--json'], { HUB_DATA_DIR: dir, NODE_ENV: 'production' });
    assert.equal(made.code, 0, made.stderr);
    const { key } = JSON.parse(made.stdout) as { key: string };
    const hub = await startGuardedHub({ dataDir: dir }, PRODUCTION);
    hubs.push(hub);
    assert.equal((await hub.call('/api/keys', { key })).status, 200);
    assert.equal((await hub.call('/api/guarded/tight', { method: 'POST', key: DEV_KEY })).status, 401);
  });

  it('exits `npm start` with status 1 and the instructions when no admin key exists', async () => {
    const result = await runMain({ NODE_ENV: 'production', HUB_DATA_DIR: await dataDir() });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /hub failed to start: refusing to start in production/);
    assert.ok(result.stderr.includes(CREATE_ADMIN_COMMAND));
    assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace for a refusal');
  });

  it('warns loudly in the start-up banner that the development key works outside production', async () => {
    const result = await runMain({ NODE_ENV: 'development', HUB_DATA_DIR: await dataDir() }, /DEVELOPMENT MODE[\s\S]*\n.*\n.*\n/);
    assert.match(result.stdout, /DEVELOPMENT MODE: the public default key works/);
    assert.ok(result.stdout.includes(DEV_KEY));
  });
});
