// The surface as a whole: OpenAI-shaped errors with the hub's status codes, models, rate
// limits, and its place in the OpenAPI document.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import OpenAI from 'openai';
import type { TestHub } from '../support/test-hub.ts';
import { DEV_KEY, speak, startSpeechHub } from './support.ts';

type OpenAiError = { error: { message: string; type: string; param: string | null; code: string } };

describe('the OpenAI-compatible surface', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startSpeechHub({ models: { 'tts-1-hd': 'not-in-the-registry', 'gpt-4o-mini-tts': 'weighted-tts' } });
  });
  after(() => hub.stop());

  it('answers a missing key 401 in OpenAI shape', async () => {
    const res = await hub.call('/v1/audio/speech', { method: 'POST', key: null, headers: { 'content-type': 'application/json' }, body: '{"input":"x"}' });
    assert.equal(res.status, 401);
    const { error } = (await res.json()) as OpenAiError;
    assert.equal(error.type, 'authentication_error');
    assert.equal(error.param, null);
    assert.ok(error.message);
  });

  it('answers malformed JSON 400 and an unreadable content type 415, in OpenAI shape', async () => {
    const broken = await hub.call('/v1/audio/speech', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":' });
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as OpenAiError).error.code, 'malformed_json');
    const plain = await hub.call('/v1/audio/speech', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'Hello' });
    assert.equal(plain.status, 415);
    assert.equal(((await plain.json()) as OpenAiError).error.type, 'invalid_request_error');
  });

  it('answers unknown paths 404 and wrong methods 405 with Allow, in OpenAI shape', async () => {
    const missing = await hub.call('/v1/chat/completions', { method: 'POST' });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as OpenAiError).error.type, 'not_found_error');
    const wrong = await hub.call('/api/v1/audio/speech');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST');
    assert.ok(((await wrong.json()) as OpenAiError).error.message);
  });

  it('keeps the {"detail"} shape on the rest of the hub', async () => {
    const res = await hub.call('/api/no/such/route');
    assert.equal(res.status, 404);
    assert.ok(((await res.json()) as { detail: string }).detail);
  });

  it('lists models as {object: "list", data} with each alias and the plugin it answers with', async () => {
    const body = (await (await hub.call('/v1/models')).json()) as { object: string; data: { id: string; object: string; owned_by: string; root?: string }[] };
    assert.equal(body.object, 'list');
    const fixture = body.data.find((m) => m.id === 'tone-tts');
    assert.ok(fixture && fixture.object === 'model' && fixture.owned_by);
    assert.ok(!body.data.some((m) => m.id === 'weighted-tts'), 'a model without weights is not offered');
    assert.equal(body.data.find((m) => m.id === 'tts-1-hd')?.root, 'tone-tts', 'an alias to a plugin not in the registry answers with the default');
    assert.ok(!body.data.some((m) => m.id === 'gpt-4o-mini-tts'), 'an alias to a plugin without weights is not offered');
    for (const alias of body.data.filter((m) => m.root)) assert.ok(body.data.some((m) => m.id === alias.root));
  });

  it('speaks through an alias whose plugin is not in the registry with the default model', async () => {
    const res = await speak(hub, { model: 'tts-1-hd', input: 'ok', response_format: 'pcm' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-model'), 'tone-tts');
  });

  it('answers 503 naming the install command for a TTS model without weights, and 400 for a plugin without tts', async () => {
    for (const model of ['weighted-tts', 'gpt-4o-mini-tts']) {
      const heavy = await speak(hub, { model, input: 'ok' });
      assert.equal(heavy.status, 503);
      const { error } = (await heavy.json()) as OpenAiError;
      assert.equal(error.type, 'service_unavailable_error');
      assert.match(error.message, /weighted-tts.*install/);
    }
    const notTts = await speak(hub, { model: 'audio-info', input: 'ok' });
    assert.equal(notTts.status, 400);
    assert.equal(((await notTts.json()) as OpenAiError).error.param, 'model');
  });

  it('documents every route in the OpenAPI document, which a validator accepts', async () => {
    const document = (await (await hub.call('/api/openapi.json')).json()) as { paths: Record<string, Record<string, any>> };
    for (const [path, method] of [
      ['/v1/audio/speech', 'post'],
      ['/v1/audio/speech/stream', 'post'],
      ['/v1/voices', 'get'],
      ['/v1/models', 'get'],
      ['/v1/references/add', 'post'],
      ['/v1/references', 'get'],
      ['/v1/references/{id}', 'delete'],
      ['/admin/reload-voices', 'post'],
    ] as const) {
      assert.ok(document.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
    }
    const speech = document.paths['/v1/audio/speech']!.post;
    assert.equal(speech.requestBody.content['application/json'].schema.properties.input.maxLength, 4096);
    assert.equal(speech.requestBody.content['multipart/form-data'].schema.properties.custom_voice_file.format, 'binary');
    const result = await new Validator().validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  });
});

describe('rate limits on the OpenAI-compatible surface', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startSpeechHub({}, { rateLimit: { routes: { 'POST /v1/audio/speech': { perMinute: 2 } } } });
  });
  after(() => hub.stop());

  it('answers the call past the route limit 429 with Retry-After, which the SDK raises as RateLimitError', async () => {
    const client = new OpenAI({ apiKey: DEV_KEY, baseURL: `${hub.url}/v1`, maxRetries: 0 });
    const create = () => client.audio.speech.create({ model: 'tone-tts', voice: 'alloy', input: 'ok', response_format: 'pcm' });
    await (await create()).arrayBuffer();
    await (await create()).arrayBuffer();
    await assert.rejects(create(), (error: unknown) => {
      assert.ok(error instanceof OpenAI.RateLimitError, String(error));
      assert.equal(error.type, 'rate_limit_error');
      assert.ok(Number(error.headers?.get('retry-after')) > 0);
      return true;
    });
    // The limit is per route: the other routes still answer.
    assert.equal((await hub.call('/v1/models')).status, 200);
  });
});
