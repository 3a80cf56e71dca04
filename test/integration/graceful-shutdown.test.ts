// `npm start`'s process on SIGTERM: a request in flight finishes, new connections are
// refused, and the process exits 0 once the container is disposed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
      env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', HUB_DATA_DIR: dataDir, HUB_LOG_LEVEL: 'info', HUB_REGISTRY: 'test/jobs/registry.json' },
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
    const notice = output.split('\n').find((line) => line.includes('shutting down'));
    assert.ok(notice, output);
    assert.deepEqual({ ...JSON.parse(notice), time: undefined, graceMs: undefined }, { time: undefined, level: 'info', msg: 'shutting down: finishing in-flight requests, then exiting', signal: 'SIGTERM', graceMs: undefined });
    assert.deepEqual(await readdir(join(dataDir, 'tmp', 'uploads')).catch(() => []), [], 'no upload left behind');
  });

  it('stops the hub when SIGTERM goes to the pid of `npm start` (the README\'s command), leaving no process behind', async () => {
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', HUB_DATA_DIR: dataDir, HUB_LOG_LEVEL: 'info', HUB_REGISTRY: 'test/jobs/registry.json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => npm.once('exit', (code) => done(code)));
    let output = '';
    const url = await new Promise<string>((done, fail) => {
      npm.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) done(match[1]!);
      });
      npm.stderr.on('data', (chunk: Buffer) => (output += chunk));
      npm.once('exit', () => fail(new Error(`npm start exited before the hub listened:\n${output}`)));
    });
    assert.equal((await fetch(`${url}/api/health`)).status, 200);
    const family = descendants(npm.pid!);
    assert.ok(family.length > 0, 'npm start runs the hub in a child process');

    process.kill(npm.pid!, 'SIGTERM');
    assert.equal(await exited, 0, output);
    for (let i = 0; i < 100 && family.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const orphans = family.filter(alive);
    for (const pid of orphans) process.kill(pid, 'SIGKILL'); // ours, and they would hold the test's pipes open
    assert.deepEqual(orphans, [], `processes left running after npm exited:\n${output}`);
    await assert.rejects(fetch(`${url}/api/health`), 'nothing listens any more');
    const notice = output.split('\n').find((line) => line.includes('"msg":"shutting down: finishing in-flight requests, then exiting"'));
    assert.equal((JSON.parse(notice ?? '{}') as { signal?: string }).signal, 'SIGTERM', output);
  });
});

/** Every process below `pid`, read from /proc (Linux), so the test can tell whether any is orphaned. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
