// Slow and silent clients are cut in seconds (issue 26 §0.2): headers that never complete,
// a body that stops arriving, a body trickled forever, an idle keep-alive connection. Each
// case ends within its configured time, and the access log records 408, not 200.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../core/hub.ts';
import { makeLogger } from '../../core/log/logger.ts';
import { DEV_KEY } from '../support/test-hub.ts';
import { FIXTURE_REGISTRY } from './support/guarded-hub.ts';

const TIMEOUTS = { headersSeconds: 1, bodyIdleSeconds: 1, requestSeconds: 3, keepAliveSeconds: 1 };
/** Node checks its header and request timers every 0.5 s; the rest is scheduling on a busy machine. */
const SLACK_MS = 1500;

/** Opens a socket, runs `talk`, and resolves with what the server sent and when it closed. */
function converse(url: string, talk: (socket: Socket) => void): Promise<{ text: string; ms: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text: Buffer.concat(chunks).toString('latin1'), ms: performance.now() - started }));
    socket.once('connect', () => talk(socket));
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept the connection open for 20 s'));
    }, 20_000).unref();
  });
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
const head = (lines: readonly string[]) => lines.join('\r\n') + '\r\n\r\n';

describe('server timeouts', () => {
  let hub: Hub;
  let dataDir: string;
  const lines: Record<string, any>[] = [];
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hub-timeouts-'));
    hub = await startHub({
      overrides: { server: { port: 0, host: '127.0.0.1', shutdownGraceMs: 500, timeouts: TIMEOUTS }, dataDir, registry: FIXTURE_REGISTRY, logLevel: 'info' },
      env: { NODE_ENV: 'test' },
      logger: makeLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line) as Record<string, any>) }),
    });
  });
  after(async () => {
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const accessLine = async (path: string) => {
    for (let i = 0; i < 50; i++) {
      const line = lines.find((l) => l.msg === 'request' && l.path === path && l.status !== 200 && !l.seen);
      if (line) return ((line.seen = true), line);
      await new Promise((r) => setTimeout(r, 20));
    }
    return lines.find((l) => l.msg === 'request' && l.path === path);
  };

  it('answers 408 to headers that never complete, within headersSeconds', async () => {
    const { text, ms } = await converse(hub.url, (s) => s.write('POST /api/guarded/echo HTTP/1.1\r\nHost: x\r\n'));
    assert.equal(statusOf(text), 408, text);
    assert.match(text, /"detail":/);
    assert.ok(ms < TIMEOUTS.headersSeconds * 1000 + SLACK_MS, `closed after ${ms.toFixed(0)} ms`);
  });

  it('answers 408 to a body that stops arriving, within bodyIdleSeconds, and logs 408', async () => {
    const { text, ms } = await converse(hub.url, (s) =>
      s.write(head(['POST /api/guarded/echo HTTP/1.1', 'Host: x', `X-API-Key: ${DEV_KEY}`, 'Content-Type: application/json', 'Content-Length: 5000']) + '{"text":"' + 'a'.repeat(190)),
    );
    assert.equal(statusOf(text), 408, text);
    assert.match(text, /the request body stopped arriving/);
    assert.ok(ms < TIMEOUTS.bodyIdleSeconds * 1000 + SLACK_MS, `closed after ${ms.toFixed(0)} ms`);
    const line = await accessLine('/api/guarded/echo');
    assert.equal(line?.status, 408, JSON.stringify(line));
  });

  it('answers 408 to a body trickled steadily, within requestSeconds, and logs 408', async () => {
    let timer: NodeJS.Timeout | undefined;
    const { text, ms } = await converse(hub.url, (s) => {
      s.write(head(['POST /api/guarded/echo HTTP/1.1', 'Host: x', `X-API-Key: ${DEV_KEY}`, 'Content-Type: application/json', 'Content-Length: 5000']) + '{"text":"');
      // 10 bytes every 0.4 s: never silent for the body-idle second, never done.
      timer = setInterval(() => s.writable && s.write('aaaaaaaaaa'), 400);
      s.once('close', () => clearInterval(timer));
    });
    clearInterval(timer);
    assert.equal(statusOf(text), 408, text);
    assert.ok(ms < TIMEOUTS.requestSeconds * 1000 + SLACK_MS, `closed after ${ms.toFixed(0)} ms`);
    assert.ok(ms > TIMEOUTS.bodyIdleSeconds * 1000 + 500, 'not cut as idle: bytes kept coming');
    const line = await accessLine('/api/guarded/echo');
    assert.equal(line?.status, 408, JSON.stringify(line));
  });

  it('closes an idle keep-alive connection within keepAliveSeconds', async () => {
    const { text, ms } = await converse(hub.url, (s) => s.write(head(['GET /api/health HTTP/1.1', 'Host: x'])));
    assert.equal(statusOf(text), 200);
    assert.ok(ms < TIMEOUTS.keepAliveSeconds * 1000 + SLACK_MS, `closed after ${ms.toFixed(0)} ms`);
  });

  it('never cuts a request whose body has arrived, however long the handler works', async () => {
    const res = await fetch(`${hub.url}/api/guarded/slow`, { method: 'POST', headers: { 'x-api-key': DEV_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ ms: 2000 }) });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { waited: 2000 });
  });
});
