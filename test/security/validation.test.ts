import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';
import { startGuardedHub } from './support/guarded-hub.ts';
import { multipartBody, multipartType } from './support/multipart-body.ts';
import { send, uploadUntilAnswered } from './support/raw-http.ts';

const ECHO = '/api/guarded/echo';

describe('field validation and strict bodies', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub({ server: { jsonLimitBytes: 4096 } });
  });
  after(() => hub.stop());

  const json = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
    send(hub.url, { path: ECHO, headers: { 'x-api-key': DEV_KEY, 'content-type': 'application/json', ...headers }, body });
  const form = (body: string, path = ECHO) => send(hub.url, { path, headers: { 'x-api-key': DEV_KEY, 'content-type': 'application/x-www-form-urlencoded' }, body });
  const expect = async (answer: Promise<{ status: number; json?: Record<string, any>; text: string }>, status: number, detail: RegExp) => {
    const res = await answer;
    assert.equal(res.status, status, res.text);
    assert.match(String(res.json?.detail), detail);
  };

  it('passes typed fields through, coercing form text per the schema', async () => {
    const res = await form('text=%E4%BD%A0%E5%A5%BD+%F0%9F%8E%B5&steps=12&scale=0.5');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { fields: { text: '你好 🎵', steps: 12, scale: 0.5, files: {} } });
    const typed = await json(JSON.stringify({ text: 'hi', tags: ['a', 'b'], options: { depth: { ok: 1 } } }));
    assert.equal(typed.status, 200, typed.text);
  });

  it('refuses NaN, Infinity and numbers too large to be exact', async () => {
    await expect(json('{"scale": NaN}'), 400, /not valid JSON/);
    await expect(json('{"seed": 1e999}'), 400, /^seed: must be integer/);
    await expect(json('{"seed": 123456789012345678901234567890}'), 400, /^seed: must lie between/);
    await expect(json('{"options": {"gain": 1e999}}'), 400, /^options\.gain: must be a finite number/);
    await expect(form('steps=NaN'), 400, /^steps: must be integer/);
    await expect(form('scale=Infinity'), 400, /^scale: must be a finite number/);
    await expect(form('steps=-5'), 422, /^steps: must be >= 1/); // well-formed, out of range
  });

  it('refuses a field given twice, wherever it comes from', async () => {
    await expect(form('text=a&text=b'), 400, /field 'text' was sent more than once in the form body/);
    await expect(send(hub.url, { path: `${ECHO}?text=a`, headers: { 'x-api-key': DEV_KEY, 'content-type': 'application/json' }, body: '{"text":"b"}' }), 400, /both in the query string and in the body/);
    await expect(send(hub.url, { path: `${ECHO}?steps=1&steps=2`, headers: { 'x-api-key': DEV_KEY, 'content-type': 'application/json' }, body: '{}' }), 400, /sent more than once in the query string/);
    const parts = multipartBody([{ name: 'text', data: 'a' }, { name: 'text', data: 'b' }]);
    await expect(send(hub.url, { path: ECHO, headers: { 'x-api-key': DEV_KEY, 'content-type': multipartType() }, body: parts }), 400, /field 'text' was sent more than once/);
  });

  it('refuses text that is not UTF-8, in every kind of body and in the query', async () => {
    await expect(json(Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, /JSON body is not valid UTF-8/);
    await expect(form('text=%ff%fe'), 400, /not valid percent-encoded UTF-8/);
    await expect(send(hub.url, { path: `${ECHO}?text=%C3%28`, headers: { 'x-api-key': DEV_KEY, 'content-type': 'application/json' }, body: '{}' }), 400, /query string .* not valid percent-encoded UTF-8/);
    const parts = multipartBody([{ name: 'text', data: Buffer.from([0x61, 0xff, 0xfe, 0x62]) }]);
    await expect(send(hub.url, { path: ECHO, headers: { 'x-api-key': DEV_KEY, 'content-type': multipartType() }, body: parts }), 400, /field 'text' is not valid UTF-8/);
  });

  it('refuses __proto__ keys and nesting bombs before the schema sees them', async () => {
    await expect(json('{"__proto__": {"text": "x"}}'), 400, /__proto__: is not a field of this route/);
    await expect(json('{"options": {"__proto__": {"polluted": true}}}'), 400, /options\.__proto__: is not a field/);
    const deep = '{"options":' + '{"a":'.repeat(40) + '1' + '}'.repeat(40) + '}';
    await expect(json(deep), 400, /nests deeper than 16 levels/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses bodies of the wrong shape, type, charset or encoding', async () => {
    await expect(json('[1, 2, 3]'), 400, /JSON body must be an object/);
    await expect(json('"text"'), 400, /JSON body must be an object/);
    await expect(json('{"text": 5}'), 400, /^text: must be string/);
    await expect(json('{"tags": ["this tag is far longer than twenty characters"]}'), 422, /^tags\.0: must NOT have more than 20 characters/);
    await expect(json('{"text": "hi"}', { 'content-type': 'application/json; charset=iso-8859-1' }), 415, /charset 'iso-8859-1' is not accepted/);
    await expect(json('{"text": "hi"}', { 'content-encoding': 'gzip' }), 415, /Content-Encoding 'gzip' is not accepted/);
    await expect(send(hub.url, { path: ECHO, headers: { 'x-api-key': DEV_KEY, 'content-type': 'text/plain' }, body: 'text=hi' }), 415, /request body must be multipart\/form-data, application\/json or application\/x-www-form-urlencoded/);
  });

  it('answers 413 for a JSON body over its cap while the body still streams', async () => {
    const total = 32 * 1024 * 1024;
    const res = await uploadUntilAnswered(hub.url, { path: ECHO, headers: { 'x-api-key': DEV_KEY, 'content-type': 'application/json' }, head: Buffer.from('{"text":"'), total });
    assert.equal(res.status, 413);
    assert.match(res.json?.detail, /exceeds the 4 KB limit for field bodies/);
    assert.ok(res.unsentBytes > 16 * 1024 * 1024);
    const declared = await json('{"text":"' + 'x'.repeat(5000) + '"}');
    assert.equal(declared.status, 413);
  });
});
