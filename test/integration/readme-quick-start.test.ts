// The README's quick start, run as written: every ```bash block of its "Quick start" section,
// in order, in one shell, in an empty folder (so a file a command reads must come from an
// earlier command), against a started hub. The ```sh block that installs and starts the hub
// is what startTestHub does; test/integration/graceful-shutdown.test.ts runs `npm start` itself.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestHub, type TestHub } from '../support/test-hub.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The ```bash blocks of the README section that starts with `heading`, in order. */
export function bashBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has no '${heading}' section`);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/\n## /);
  const section = end >= 0 ? rest.slice(0, end) : rest;
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const hasCurl = spawnSync('curl', ['--version']).status === 0;

describe("the README's quick start, run line by line", () => {
  let hub: TestHub;
  let work: string;
  before(async () => {
    hub = await startTestHub();
    work = mkdtempSync(join(tmpdir(), 'readme-'));
  });
  after(async () => {
    await hub.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('succeeds command by command from an empty folder, each call answering 2xx', { skip: hasCurl ? false : 'curl is not installed (the README examples use it)', timeout: 240_000 }, async () => {
    const blocks = bashBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), '## Quick start');
    assert.ok(blocks.length >= 3, 'the quick start has its example blocks');
    // The README's address is the default one; the test's hub listens on a free port. npm
    // and `npx hub` commands run in the clone, as a reader's would (outside it npx would
    // look for a package named hub in the registry).
    const script = blocks.join('\n').replaceAll('http://localhost:8000', hub.url).replaceAll('npm run ', 'npm --prefix "$HUB_ROOT" run ').replaceAll('npx hub ', 'node "$HUB_ROOT/bin/hub.mjs" ');
    writeFileSync(join(work, 'quick-start.sh'), `set -euo pipefail\nset -x\n${script}`);
    // curl answers 4xx/5xx with exit status 0 unless told otherwise: a .curlrc tells it, so
    // a failing call fails the script without changing the README's commands.
    writeFileSync(join(work, '.curlrc'), 'fail-with-body\nsilent\nshow-error\n');
    // Asynchronously: the hub answers from this process's event loop.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn('bash', ['quick-start.sh'], { cwd: work, env: { ...process.env, CURL_HOME: work, HUB_ROOT: ROOT, HUB_DATA_DIR: hub.dataDir, NODE_ENV: 'test' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.once('close', (status) => done({ status, stdout, stderr }));
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(readFileSync(join(work, 'hello.wav')).subarray(0, 4).toString(), 'RIFF');
    assert.deepEqual([...readFileSync(join(work, 'hello.png')).subarray(1, 4)], [...Buffer.from('PNG')]);
    assert.ok(readFileSync(join(work, 'hello.mp3')).byteLength > 1000, 'mp3 speech');
    assert.match(run.stdout, /"format":\s*"wav"|"format":"wav"/, 'audio/info describes the wav');
    assert.match(run.stdout, /"text"/, 'the transcription answered');
  });
});
