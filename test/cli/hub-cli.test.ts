// The `hub` command against a running hub (tasks) and without one (openapi, help), with
// the exit codes docs/operations.md promises.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEV_KEY, startTestHub, type TestHub } from '../support/test-hub.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function hubCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'hub.mjs'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}

describe('the hub command', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  it('lists and shows the running hub\'s tasks, with --json', async () => {
    const accepted = await hub.call('/api/tts/espeak?async=true', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello from the command line' }) });
    assert.equal(accepted.status, 202, await accepted.clone().text());
    const { task_id } = (await accepted.json()) as { task_id: string };
    const env = { HUB_API_KEY: DEV_KEY };
    const listed = await hubCli(['tasks', 'list', '--json', '--hub', hub.url], env);
    assert.equal(listed.code, 0, listed.err);
    assert.deepEqual((JSON.parse(listed.out) as { task_id: string; plugin: string }[]).map((t) => [t.task_id, t.plugin]), [[task_id, 'espeak']]);
    const table = await hubCli(['tasks', 'list', '--hub', hub.url], env);
    assert.match(table.out, new RegExp(`^ID +STATUS +PROGRESS +PLUGIN +ROUTE +CREATED\\n${task_id} +\\w+ +\\d+% +espeak +POST /api/tts/espeak`));
    const shown = await hubCli(['tasks', 'show', task_id, '--json'], { ...env, HUB_URL: hub.url });
    assert.equal((JSON.parse(shown.out) as { task_id: string }).task_id, task_id);
    const unknown = await hubCli(['tasks', 'show', '00000000-0000-4000-8000-000000000000', '--hub', hub.url], env);
    assert.equal(unknown.code, 3);
    assert.match(unknown.err, /^the hub answered 404: /);
  });

  it('says how to fix a missing key (exit 2) and an unreachable hub (exit 3)', async () => {
    const noKey = await hubCli(['tasks', 'list', '--hub', hub.url]);
    assert.equal(noKey.code, 2);
    assert.match(noKey.err, /set HUB_API_KEY to a key of the hub \(create one with: hub keys create --name me\)/);
    const away = await hubCli(['tasks', 'list', '--hub', 'http://127.0.0.1:9'], { HUB_API_KEY: DEV_KEY });
    assert.equal(away.code, 3);
    assert.match(away.err, /cannot reach the hub at http:\/\/127\.0\.0\.1:9 .*is it running\?/);
  });

  it('prints the OpenAPI document without starting a server, and usage errors exit 2', async () => {
    const doc = await hubCli(['openapi'], { HUB_DATA_DIR: hub.dataDir });
    assert.equal(doc.code, 0, doc.err);
    const parsed = JSON.parse(doc.out) as { openapi: string; paths: Record<string, unknown> };
    assert.match(parsed.openapi, /^3\.1\./);
    assert.ok(parsed.paths['/api/tts/espeak'] && parsed.paths['/api/health/ready']);
    const help = await hubCli(['--help']);
    assert.equal(help.code, 0);
    for (const command of ['start', 'keys', 'models', 'tasks', 'openapi']) assert.match(help.out, new RegExp(`^  ${command}\\b`, 'm'));
    const wrong = await hubCli(['models', 'list', '--colour']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /unknown option '--colour'/);
  });
});

describe('hub start', () => {
  it('serves in its own process and stops on SIGTERM to that pid, logging it', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-start-'));
    try {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'hub.mjs'), 'start'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', HUB_DATA_DIR: dataDir, HUB_LOG_LEVEL: 'info', HUB_REGISTRY: 'test/jobs/registry.json' },
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
        child.once('exit', () => fail(new Error(`hub start exited before listening:\n${output}`)));
      });
      assert.equal((await fetch(`${url}/api/health/ready`)).status, 200);
      process.kill(child.pid!, 'SIGTERM');
      assert.equal(await exited, 0, output);
      const lines = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; signal?: string });
      assert.deepEqual(lines.filter((l) => l.signal).map((l) => [l.msg, l.signal]), [
        ['shutting down: finishing in-flight requests, then exiting', 'SIGTERM'],
        ['stopped', 'SIGTERM'],
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
