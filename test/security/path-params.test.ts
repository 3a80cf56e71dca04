// Malformed path parameters (issue 26 §0.1): every parameterised route of every surface,
// read from the hub's own OpenAPI document, answers 400 in its surface's error shape to an
// invalid percent-escape, a climbing segment and an over-long id, and logs no stack trace.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../core/hub.ts';
import { makeLogger } from '../../core/log/logger.ts';
import { DEV_KEY } from '../support/test-hub.ts';
import { request } from 'node:http';

const MALFORMED = ['%ff', '%E0%A4%A', '..', '%2e%2e', '.', '%2F', 'a%5Cb', '%00', 'x'.repeat(300)];

interface Operation {
  readonly method: string;
  readonly template: string;
}

function parameterised(document: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  return Object.entries(document.paths)
    .filter(([path]) => path.includes('{'))
    .flatMap(([template, item]) => Object.keys(item).filter((m) => /^(get|put|post|delete|patch)$/.test(m)).map((method) => ({ method: method.toUpperCase(), template })));
}

/** The surface's error shape: VoiceDub's `{code, message}` for the dubbing routes, OpenAI's `{error: {message}}` elsewhere under /v1, `{detail}` elsewhere. */
function assertShape(path: string, json: Record<string, any> | undefined, text: string): void {
  if (/^\/v1\/(me|uploads|voices)\//.test(path)) assert.equal(typeof json?.code === 'string' && typeof json?.message === 'string', true, `${path}: ${text}`);
  else if (/^\/(api\/)?v1\//.test(path)) assert.equal(typeof json?.error?.message, 'string', `${path}: ${text}`);
  else assert.equal(typeof json?.detail, 'string', `${path}: ${text}`);
}

/** node:http with the path as given: a URL object would resolve `..` and `%2e%2e` before sending. */
function send(url: string, options: { method: string; path: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; text: string; json: Record<string, any> | undefined }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: options.method, path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, any> | undefined;
        try {
          json = JSON.parse(text) as Record<string, any>;
        } catch {}
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('malformed path parameters on every parameterised route', () => {
  let hub: Hub;
  let dataDir: string;
  const lines: Record<string, unknown>[] = [];
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hub-path-params-'));
    hub = await startHub({
      overrides: { server: { port: 0, host: '127.0.0.1', shutdownGraceMs: 1000 }, dataDir, logLevel: 'info', rateLimit: { perMinute: 100_000, perHour: 1_000_000 } },
      env: { NODE_ENV: 'test' },
      logger: makeLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    });
  });
  after(async () => {
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 400 in the surface shape for each malformed value, with no stack trace logged', async () => {
    const operations = parameterised(hub.openapi() as { paths: Record<string, Record<string, unknown>> });
    // The document covers the core's task, key and model routes, the OpenAI surface and the studio.
    for (const expected of ['/api/tasks/{task_id}', '/api/keys/{id}', '/v1/models/{model}', '/v1/references/{id}', '/ws/progress/{task_id}']) {
      assert.ok(operations.some((o) => o.template === expected), `${expected} is in the document (${operations.map((o) => o.template).join(', ')})`);
    }
    assert.ok(operations.some((o) => o.template.startsWith('/profiles/')), 'the studio routes are in the document');
    const failures: string[] = [];
    for (const { method, template } of operations) {
      for (const value of MALFORMED) {
        const path = template.replace(/\{[^}]+\}/g, value);
        const answer = await send(hub.url, { method, path, headers: { 'x-api-key': DEV_KEY, 'content-type': 'application/json' }, body: method === 'GET' || method === 'DELETE' ? undefined : '{}' });
        if (answer.status !== 400) failures.push(`${method} ${path.slice(0, 80)} -> ${answer.status} ${answer.text.slice(0, 120)}`);
        else assertShape(path, answer.json, answer.text);
      }
    }
    assert.deepEqual(failures, []);
    const traces = lines.filter((l) => l.level === 'error' || String(l.error ?? '').includes('    at '));
    assert.deepEqual(traces, [], 'no error lines and no stack traces');
  });

  it('refuses a WebSocket handshake to /ws/progress/%ff with 400 before any upgrade', async () => {
    const answer = await send(hub.url, {
      method: 'GET',
      path: '/ws/progress/%ff',
      headers: { 'x-api-key': DEV_KEY, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    }).catch((error: Error) => ({ status: 0, text: error.message, json: undefined }));
    assert.equal(answer.status, 400, answer.text);
    assert.match(String(answer.json?.detail), /malformed URL/);
  });

  it('still serves well-formed ids on the same routes', async () => {
    const answer = await send(hub.url, { method: 'GET', path: '/api/tasks/no-such-task', headers: { 'x-api-key': DEV_KEY } });
    assert.equal(answer.status, 404);
    const encoded = await send(hub.url, { method: 'GET', path: '/v1/models/espeak%2Dng', headers: { 'x-api-key': DEV_KEY } });
    assert.notEqual(encoded.status, 400, 'a valid percent-escape decodes as usual');
  });
});
