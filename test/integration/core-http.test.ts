import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestHub, wavBlobFor, type TestHub } from '../support/test-hub.ts';

describe('the core over real HTTP', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  it('answers GET /api/health with status, version and each plugin with its weight state', async () => {
    const res = await hub.call('/api/health', { key: null });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; version: string; plugins: { name: string; task: string; weights: string }[] };
    assert.equal(body.status, 'healthy');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.ok(body.plugins.some((p) => p.name === 'audio-info' && p.task === 'audio' && p.weights === 'weight-free'));
  });

  it('answers HEAD /api/health without a body', async () => {
    const res = await hub.call('/api/health', { method: 'HEAD', key: null });
    assert.equal(res.status, 200);
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });

  it("makes its requests and responses with express's prototypes from the start, still node's own underneath", async () => {
    // Express gives each request its prototype; done to a new object every time, it kept
    // requests alive through garbage collections (core/http/express-instances.ts).
    const { app } = hub.container.resolve<{ app: { request: object; response: object } }>('app');
    const seen: boolean[] = [];
    const look = (req: IncomingMessage, res: ServerResponse) => {
      seen.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response, req instanceof IncomingMessage, res instanceof ServerResponse);
    };
    hub.server.prependListener('request', look);
    try {
      assert.equal((await hub.call('/api/health', { key: null })).status, 200);
    } finally {
      hub.server.off('request', look);
    }
    assert.deepEqual(seen, [true, true, true, true]);
  });

  it('serves an OpenAPI 3.1 document that a real validator accepts', async () => {
    const res = await hub.call('/api/openapi.json', { key: null });
    assert.equal(res.status, 200);
    const document = (await res.json()) as Record<string, any>;
    assert.equal(document.openapi, '3.1.0');
    const result = await new Validator().validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.deepEqual(document.components.securitySchemes.ApiKeyAuth, { type: 'apiKey', in: 'header', name: 'X-API-Key' });
    const upload = document.paths['/api/audio/info'].post.requestBody.content['multipart/form-data'].schema.properties.audio;
    assert.equal(upload.format, 'binary');
    assert.equal(document.paths['/api/audio/info'].post.responses['415'].$ref, '#/components/responses/UnsupportedMediaType');
  });

  it('serves Swagger UI as HTML at /api/docs', async () => {
    const res = await hub.call('/api/docs/', { key: null });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /swagger-ui/);
  });

  it('answers unknown routes 404 and wrong methods 405 in the detail shape', async () => {
    const missing = await hub.call('/api/no/such/route');
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { detail: string }).detail, /not found/);
    const wrong = await hub.call('/api/health', { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
    assert.ok(((await wrong.json()) as { detail: string }).detail);
  });

  it('answers malformed JSON with 400 and a detail, never a stack trace', async () => {
    const res = await hub.call('/api/audio/info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { detail: string };
    assert.match(body.detail, /not valid JSON/);
    assert.doesNotMatch(body.detail, /at .*\.ts:\d+/);
  });

  it('runs a plugin route end to end: upload, decode, handler, JSON', async () => {
    const form = new FormData();
    form.set('audio', wavBlobFor({ seconds: 0.5, sampleRate: 22050 }), 'tone.wav');
    const res = await hub.call('/api/audio/info', { method: 'POST', body: form });
    assert.equal(res.status, 200);
    const info = (await res.json()) as Record<string, number | string>;
    assert.equal(info.format, 'wav');
    assert.equal(info.sample_rate, 22050);
    assert.equal(info.samples, 11025);
    assert.ok(Math.abs((info.peak_dbfs as number) + 6.02) < 0.1, `peak ${info.peak_dbfs}`);
  });

  it('names the unexpected field in a 400', async () => {
    const form = new FormData();
    form.set('audio', wavBlobFor({ seconds: 0.1, sampleRate: 16000 }), 'tone.wav');
    form.set('colour', 'blue');
    const res = await hub.call('/api/audio/info', { method: 'POST', body: form });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { detail: string }).detail, 'colour: is not a field of this route');
  });

  it('gives every response a request id and no x-powered-by', async () => {
    const res = await hub.call('/api/health');
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get('x-powered-by'), null);
  });
});
