// The smaller input defects of issue 26 §0.10: duplicate JSON keys, a multipart part whose
// declared type contradicts its bytes, /api/models bodies validated like every route, and
// methods the docs do not offer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';
import { wavOfSeconds } from './support/audio-bytes.ts';
import { startGuardedHub } from './support/guarded-hub.ts';
import { multipartBody, multipartType } from './support/multipart-body.ts';
import { send } from './support/raw-http.ts';

const keyed = { 'x-api-key': DEV_KEY };
const json = (hub: TestHub, path: string, body: string, method = 'POST') => send(hub.url, { method, path, headers: { ...keyed, 'content-type': 'application/json' }, body });

describe('strict input', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub();
  });
  after(() => hub.stop());

  describe('duplicate JSON keys', () => {
    it('refuses a key given twice with 400 naming it', async () => {
      const res = await json(hub, '/api/guarded/echo', '{"text":"a","steps":2,"text":"b"}');
      assert.equal(res.status, 400, res.text);
      assert.match(res.json!.detail, /^text: is given twice/);
    });

    it('names a duplicate inside a nested object by its path', async () => {
      const res = await json(hub, '/api/guarded/echo', '{"options":{"a":1,"\\u0061":2}}');
      assert.equal(res.status, 400, res.text);
      assert.match(res.json!.detail, /^options\.a: is given twice/);
    });

    it('answers in the OpenAI shape on /v1, with the key as param', async () => {
      const res = await json(hub, '/v1/audio/speech', '{"model":"espeak","input":"hi","voice":"a","voice":"b"}');
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json!.error.param, 'voice');
    });

    it('still accepts equal keys in different objects and text that looks like JSON', async () => {
      const res = await json(hub, '/api/guarded/echo', '{"text":"{\\"a\\":1,\\"a\\":2}","options":{"text":1}}');
      assert.equal(res.status, 200, res.text);
    });
  });

  describe('declared part type against the sniffed bytes', () => {
    const upload = (type: string | undefined) =>
      send(hub.url, { path: '/api/guarded/upload', headers: { ...keyed, 'content-type': multipartType() }, body: multipartBody([{ name: 'audio', filename: 'a.wav', data: wavOfSeconds(0.5), ...(type ? { type } : {}) }]) });

    for (const type of ['application/x-msdownload', 'image/png', 'text/html', 'application/json']) {
      it(`refuses WAV bytes declared as ${type} with 415`, async () => {
        const res = await upload(type);
        assert.equal(res.status, 415, res.text);
        assert.match(res.json!.detail, new RegExp(`audio: declared as ${type.replace('/', '\\/')} but its bytes are wav`));
      });
    }

    for (const type of [undefined, 'application/octet-stream', 'audio/wav', 'audio/x-pn-wav']) {
      it(`accepts WAV bytes declared as ${type ?? 'nothing (text/plain by default)'}`, async () => {
        const res = await upload(type);
        assert.equal(res.status, 200, res.text);
      });
    }
  });

  describe('/api/models bodies', () => {
    const cases: [string, string][] = [
      ['an unknown field', '{"model_name":"guarded","force":true}'],
      ['a wrong type', '{"model_name":42}'],
      ['an object where a name belongs', '{"model_name":{"$ne":""}}'],
      ['absurd nesting', `{"model_name":"guarded","x":${'['.repeat(40)}${']'.repeat(40)}}`],
      ['a duplicate key', '{"model_name":"guarded","model_name":"other"}'],
      ['an empty name', '{"model_name":""}'],
    ];
    for (const path of ['/api/models/load', '/api/models/unload', '/api/models/download']) {
      for (const [name, body] of cases) {
        // An empty name is well-formed but below the field's declared length: 422; the rest are malformed: 400.
        const status = name === 'an empty name' ? 422 : 400;
        it(`${path} refuses ${name} with ${status}`, async () => {
          const res = await json(hub, path, body);
          assert.equal(res.status, status, res.text);
          assert.equal(typeof res.json!.detail, 'string');
        });
      }
    }

    it('refuses an unknown download field even with a valid name', async () => {
      const res = await json(hub, '/api/models/download', '{"model_name":"guarded","source":"https://example.org/","mirror":"x"}');
      assert.equal(res.status, 400, res.text);
      assert.match(res.json!.detail, /mirror: is not a field of this route/);
    });
  });

  describe('methods the docs do not offer', () => {
    for (const method of ['PATCH', 'POST', 'PUT', 'DELETE']) {
      it(`${method} /api/docs is 405 with Allow`, async () => {
        const res = await send(hub.url, { method, path: '/api/docs', headers: keyed });
        assert.equal(res.status, 405, res.text);
        assert.match(String(res.headers.allow), /GET/);
        assert.equal(typeof res.json!.detail, 'string');
      });
    }

    it('GET /api/docs still serves Swagger UI', async () => {
      const res = await send(hub.url, { method: 'GET', path: '/api/docs/', headers: {} });
      assert.equal(res.status, 200);
      assert.match(res.text, /swagger/i);
    });
  });
});
