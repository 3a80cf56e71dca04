// `npm start`'s process on SIGTERM: a request in flight finishes, new connections are
// refused, and the process exits 0 once the container is disposed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEV_KEY } from '../support/test-hub.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('graceful shutdown of the started hub', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hub-shutdown-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('finishes the request in flight on SIGTERM, refuses new ones, and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', HUB_DATA_DIR: dataDir, HUB_LOG_LEVEL: 'warn', HUB_REGISTRY: 'test/jobs/registry.json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let output = '';
    const url = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) done(match[1]!);
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk));
      child.once('exit', () => fail(new Error(`hub exited before listening:\n${output}`)));
    });

    // 40 steps of 50 ms: about two seconds of work, well under way when the signal comes.
    const inFlight = fetch(`${url}/api/audio/slow-steps`, {
      method: 'POST',
      headers: { 'X-API-Key': DEV_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ steps: 40, delay_ms: 50 }),
    });
    await new Promise((resolve) => setTimeout(resolve, 800));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));

    await assert.rejects(fetch(`${url}/api/health`, { headers: { connection: 'close' } }), 'a new connection after SIGTERM is refused');
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { steps: 40, audio_samples: null });
    assert.equal(await exited, 0, output);
    assert.match(output, /SIGTERM: finishing in-flight requests/);
    assert.deepEqual(await readdir(join(dataDir, 'tmp', 'uploads')).catch(() => []), [], 'no upload left behind');
  });
});
