// POST /v1/audio/speech over real HTTP: what reaches the plugin, what is refused with
// which field named, and the same route under /api/v1.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { received } from '../fixtures/plugins/tone-tts/index.ts';
import type { TestHub } from '../support/test-hub.ts';
import { DEV_KEY, speak, startSpeechHub } from './support.ts';

type OpenAiError = { error: { message: string; type: string; param: string | null; code: string } };

async function errorOf(res: Response, status: number): Promise<OpenAiError['error']> {
  assert.equal(res.status, status, await res.clone().text());
  const body = (await res.json()) as OpenAiError;
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
  return body.error;
}

describe('speech request fields', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startSpeechHub({ models: { 'tts-1': 'tone-tts' } });
  });
  after(() => hub.stop());
  beforeEach(() => {
    received.length = 0;
  });

  it('passes the extended sampling fields and instructions to a plugin that declares them', async () => {
    const sampling = { temperature: 0.5, top_p: 0.9, repetition_penalty: 1.3, max_new_tokens: 2048, chunk_length: 150, cfg_value: 3.5 };
    const res = await speak(hub, { model: 'tone-tts', input: 'Hi there', voice: 'low', response_format: 'wav', instructions: 'Calmly.', ...sampling, cache: false });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('x-ignored-fields'), null);
    assert.equal(received.length, 1);
    assert.deepEqual(received[0], { text: 'Hi there', voice: 'low', instructions: 'Calmly.', sampling });
  });

  it("takes the same fields at seed 003's /v1/audio/speech/extended", async () => {
    const res = await speak(hub, { input: 'Extended.', temperature: 0.9, response_format: 'wav', cache: false }, { path: '/v1/audio/speech/extended' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(received[0]!.sampling, { temperature: 0.9 });
  });

  it('accepts each sampling field at the ends of its documented range', async () => {
    const ends = { temperature: [0.1, 1], top_p: [0.1, 1], repetition_penalty: [0.9, 2], max_new_tokens: [100, 4096], chunk_length: [100, 300], cfg_value: [0.5, 5] };
    for (const [field, values] of Object.entries(ends)) {
      for (const value of values) {
        const res = await speak(hub, { input: 'ok', response_format: 'pcm', [field]: value, cache: false });
        assert.equal(res.status, 200, `${field}=${value}: ${await res.text()}`);
      }
    }
  });

  it('refuses each field outside its range with 422 naming it, as the pydantic server of seed 004 does', async () => {
    const outside = { temperature: 1.01, top_p: 0.05, repetition_penalty: 2.5, max_new_tokens: 99, chunk_length: 301, cfg_value: 0.4, speed: 4.5 };
    const below = { speed: 0.24, cfg_value: 0.49 };
    const above = { speed: 4.01, cfg_value: 5.01 };
    for (const [field, value] of [...Object.entries(outside), ...Object.entries(below), ...Object.entries(above)]) {
      const error = await errorOf(await speak(hub, { input: 'ok', [field]: value }), 422);
      assert.equal(error.param, field);
      assert.equal(error.type, 'invalid_request_error');
    }
    const fractional = await errorOf(await speak(hub, { input: 'ok', max_new_tokens: 512.5 }), 422);
    assert.equal(fractional.param, 'max_new_tokens');
    assert.equal(received.length, 0, 'no refused request reached the model');
  });

  it('accepts speed and cfg_value at the ends of their ranges, passing cfg_value to a model that takes it', async () => {
    for (const [speed, cfg_value] of [[0.25, 0.5], [4, 5]] as const) {
      received.length = 0;
      const res = await speak(hub, { input: 'ends', speed, cfg_value, response_format: 'pcm', cache: false });
      assert.equal(res.status, 200, await res.clone().text());
      await res.arrayBuffer();
      assert.deepEqual(received[0]!.sampling, { cfg_value });
    }
  });

  it('refuses empty input, a missing input, a wrong type, an unknown format and an unknown field with 422', async () => {
    assert.equal((await errorOf(await speak(hub, { input: '' }), 422)).param, 'input');
    assert.equal((await errorOf(await speak(hub, { voice: 'alloy' }), 422)).param, 'input');
    assert.equal((await errorOf(await speak(hub, { input: 'ok', speed: 'fast' }), 422)).param, 'speed');
    assert.equal((await errorOf(await speak(hub, { input: 'ok', response_format: 'ogg' }), 422)).param, 'response_format');
    assert.equal((await errorOf(await speak(hub, { input: 'ok', cache: 'maybe' }), 422)).param, 'cache');
    const typo = await errorOf(await speak(hub, { input: 'ok', temprature: 0.5 }), 422);
    assert.equal(typo.param, 'temprature');
    assert.match(typo.message, /not a field/);
    const form = new FormData();
    form.set('input', '');
    const emptyForm = await hub.call('/v1/audio/speech', { method: 'POST', headers: { authorization: `Bearer ${DEV_KEY}` }, body: form });
    assert.equal((await errorOf(emptyForm, 422)).param, 'input');
    const outOfRangeForm = new FormData();
    outOfRangeForm.set('input', 'ok');
    outOfRangeForm.set('speed', '4.5');
    const speedForm = await hub.call('/v1/audio/speech', { method: 'POST', headers: { authorization: `Bearer ${DEV_KEY}` }, body: outOfRangeForm });
    assert.equal((await errorOf(speedForm, 422)).param, 'speed');
  });

  it('takes input of exactly 4096 characters and splits it into chunks', async () => {
    const input = 'Speech goes on. '.repeat(256);
    assert.equal(input.length, 4096);
    const res = await speak(hub, { input, response_format: 'pcm', cache: false });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.ok(received.length >= 4096 / 200, `${received.length} chunks`);
    assert.ok(received.every((r) => r.text.length <= 200));
  });

  it('maps OpenAI voice names the model lacks to its default voice, and leaves other names to the model', async () => {
    assert.equal((await speak(hub, { input: 'ok', voice: 'nova', response_format: 'pcm', cache: false })).status, 200);
    assert.equal(received[0]!.voice, undefined);
    const error = await errorOf(await speak(hub, { input: 'ok', voice: 'robot' }), 400);
    assert.equal(error.param, 'voice');
    assert.match(error.message, /unknown voice 'robot'/);
  });

  it('accepts the SDK object form of a voice, { id }', async () => {
    assert.equal((await speak(hub, { input: 'ok', voice: { id: 'high' }, response_format: 'pcm', cache: false })).status, 200);
    assert.equal(received[0]!.voice, 'high');
  });

  it('resolves tts-1 through the alias table and refuses an unknown model listing the models', async () => {
    const aliased = await speak(hub, { model: 'tts-1', input: 'ok', response_format: 'pcm', cache: false });
    assert.equal(aliased.status, 200);
    assert.equal(aliased.headers.get('x-model'), 'tone-tts');
    const error = await errorOf(await speak(hub, { model: 'gpt-9', input: 'ok' }), 400);
    assert.equal(error.param, 'model');
    assert.match(error.message, /available: .*tone-tts/);
  });

  it('passes a plugin-side refusal through as its 400, in OpenAI shape', async () => {
    const error = await errorOf(await speak(hub, { input: 'ok', language: 'fr', cache: false }), 400);
    assert.equal(error.param, 'language');
    assert.equal(error.code, 'invalid_field');
  });

  it('reads multipart forms, with form spellings of booleans and numbers', async () => {
    const form = new FormData();
    form.set('input', 'Formed');
    form.set('response_format', 'pcm');
    form.set('temperature', '0.3');
    form.set('cache', 'off');
    const res = await hub.call('/v1/audio/speech', { method: 'POST', body: form });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('x-cache'), 'BYPASS');
    assert.deepEqual(received[0]!.sampling, { temperature: 0.3 });
  });

  it('serves the same routes under /api/v1, with the X-API-Key header too', async () => {
    const res = await hub.call('/api/v1/audio/speech', { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': DEV_KEY }, body: JSON.stringify({ input: 'ok', response_format: 'wav' }) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'audio/wav');
  });
});
