// The hostile-input suite (issue 26 §2): on a real hub, every route in the OpenAPI
// document (all surfaces) gets requests generated from its own schema to be wrong in one
// way, a broken-audio corpus in its upload fields and malformed path parameters. Fixed
// seed, ≥500 cases here; `npm run fuzz -- --cases N --seed S` runs as many as you like.
// After the run the hub still answers, and no file is left in its data folder or the
// OS temp folder.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEV_KEY, startTestHub, type TestHub } from '../support/test-hub.ts';
import { runFuzz } from './run.ts';

const SEED = 260_026;
const CASES = 600;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath ?? e.path, e.name));
}

/** Raw bytes on a socket; resolves with the status line's code (0 when the server just closed). */
function wire(url: string, write: (send: (text: string) => void, end: () => void) => void): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('connect', () => write((t) => socket.write(t), () => socket.end()));
    setTimeout(() => socket.destroy(), 10_000).unref();
  });
}

describe('hostile input generated from every route’s schema', () => {
  let hub: TestHub;
  let osTemp: string;
  let previousTmp: string | undefined;
  before(async () => {
    // A private OS temp folder for the hub's process: whatever it leaves there is visible.
    osTemp = await mkdtemp(join(tmpdir(), 'hub-fuzz-tmp-'));
    previousTmp = process.env.TMPDIR;
    process.env.TMPDIR = osTemp;
    hub = await startTestHub({ logLevel: 'silent' });
  });
  after(async () => {
    await hub.stop();
    process.env.TMPDIR = previousTmp;
    if (previousTmp === undefined) delete process.env.TMPDIR;
    await rm(osTemp, { recursive: true, force: true });
  });

  it(`answers ${CASES} generated cases across all routes with a 4xx in the surface's shape, none over 10 s`, { timeout: 120_000 }, async () => {
    const document = (await (await hub.call('/api/openapi.json')).json()) as Record<string, unknown>;
    const report = await runFuzz({ url: hub.url, key: DEV_KEY, document, cases: CASES, seed: SEED, lanes: 2 });
    console.log(`fuzz: ${report.cases} cases over ${report.routes} routes in ${report.seconds.toFixed(1)} s; statuses ${JSON.stringify(report.statuses)}`);
    assert.ok(report.cases >= 500, `${report.cases} cases`);
    assert.ok(report.routes >= 40, `${report.routes} routes`);
    assert.ok(Object.keys(report.statuses).length >= 4, 'the answers were not all alike');
  });

  it('answers a slowly sent request and a body cut short like any other', async () => {
    const slow = await wire(hub.url, (send) => {
      const text = `GET /api/tasks/%ff HTTP/1.1\r\nHost: x\r\nX-API-Key: ${DEV_KEY}\r\nConnection: close\r\n\r\n`;
      let at = 0;
      const timer = setInterval(() => {
        send(text.slice(at, at + 8));
        at += 8;
        if (at >= text.length) clearInterval(timer);
      }, 20);
    });
    assert.equal(slow, 400);
    const short = await wire(hub.url, (send, end) => {
      send(`POST /api/tts/espeak HTTP/1.1\r\nHost: x\r\nX-API-Key: ${DEV_KEY}\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"text":"cut`);
      end();
    });
    assert.ok(short === 0 || (short >= 400 && short < 500), `status ${short}`);
  });

  it('still answers, and left no file in its data folder or the OS temp folder', async () => {
    assert.equal((await hub.call('/api/health', { key: null })).status, 200);
    let left: string[] = [];
    for (let i = 0; i < 50; i++) {
      left = [...(await filesUnder(join(hub.dataDir, 'tmp'))), ...(await filesUnder(osTemp)).filter((f) => !f.includes(basename(hub.dataDir)))];
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(left, []);
  });
});
