// A corpus of hostile and broken requests. Each must get a 4xx with a `detail`; after
// all of them the hub still answers and no upload is left in its temp area.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';
import { flacHeader, mp3Frames, oggOpus, wavFile, wavOfSeconds } from './support/audio-bytes.ts';
import { settledTempFiles, startGuardedHub } from './support/guarded-hub.ts';
import { multipartBody, multipartType, type Part } from './support/multipart-body.ts';
import { send, sendRaw, type RawAnswer } from './support/raw-http.ts';

const KB = 1024;
const LIMITS = {
  server: { jsonLimitBytes: 8 * KB },
  uploads: {
    classes: { content: { maxBytes: 256 * KB, maxSeconds: 10 }, reference: { maxBytes: 64 * KB, maxSeconds: 5 } },
    maxRequestBytes: 1024 * KB,
    maxFiles: 2,
    maxFields: 8,
    maxFieldBytes: 512,
  },
};

interface Case {
  readonly name: string;
  readonly status: number;
  readonly run: (hub: TestHub) => Promise<RawAnswer>;
}

const UPLOAD = '/api/guarded/upload';
const ECHO = '/api/guarded/echo';
const keyed = { 'x-api-key': DEV_KEY };

const multipart = (parts: readonly Part[], headers: Record<string, string> = {}) => (hub: TestHub) =>
  send(hub.url, { path: UPLOAD, headers: { ...keyed, 'content-type': multipartType(), ...headers }, body: multipartBody(parts) });
const audio = (data: Uint8Array | string, extra: Partial<Part> = {}) => multipart([{ name: 'audio', filename: 'a.wav', data, ...extra }]);
const rawBody = (path: string, type: string, body: string | Uint8Array, headers: Record<string, string> = {}) => (hub: TestHub) =>
  send(hub.url, { path, headers: { ...keyed, 'content-type': type, ...headers }, body });
const json = (body: string | Uint8Array) => rawBody(ECHO, 'application/json', body);
const form = (body: string) => rawBody(ECHO, 'application/x-www-form-urlencoded', body);
/** Bytes straight onto a TCP socket, for what no HTTP client will send. */
const wire = (text: string | Buffer, options: { endAfterWrite?: boolean } = {}) => (hub: TestHub) => sendRaw(hub.url, text, options);
const head = (lines: readonly string[]) => lines.join('\r\n') + '\r\n\r\n';

const oggOpusNoChannels = () => {
  const bytes = oggOpus({ seconds: 1 });
  bytes[28 + 9] = 0; // OpusHead channel count
  return bytes;
};
const oggUnknownCodec = () => {
  const bytes = oggOpus({ seconds: 1 });
  bytes.write('Speex   ', 28, 'latin1');
  return bytes;
};
const wavDataBeforeFmt = () => {
  const wav = wavFile();
  const out = Buffer.alloc(wav.length);
  wav.copy(out, 0, 0, 12);
  out.write('data', 12, 'latin1');
  out.writeUInt32LE(8, 16);
  wav.copy(out, 28, 12, 36);
  return out.subarray(0, 52);
};
const wavShortFmt = () => {
  const wav = wavFile();
  wav.writeUInt32LE(4, 16);
  return wav;
};

const CASES: readonly Case[] = [
  // --- the wire: what Node's parser refuses before any route runs
  { name: 'a negative Content-Length', status: 400, run: wire(head(['POST /api/guarded/echo HTTP/1.1', 'Host: x', 'Content-Length: -5', 'Content-Type: application/json'])) },
  { name: 'a Content-Length that is not a number', status: 400, run: wire(head(['POST /api/guarded/echo HTTP/1.1', 'Host: x', 'Content-Length: 12abc'])) },
  { name: 'Content-Length together with chunked encoding (request smuggling)', status: 400, run: wire(head(['POST /api/guarded/echo HTTP/1.1', 'Host: x', 'Content-Length: 4', 'Transfer-Encoding: chunked']) + '0\r\n\r\n') },
  { name: 'a chunk with a size that is not hexadecimal', status: 400, run: wire(head(['POST /api/guarded/echo HTTP/1.1', 'Host: x', 'X-API-Key: ' + DEV_KEY, 'Content-Type: application/json', 'Transfer-Encoding: chunked']) + 'zz\r\n{}\r\n0\r\n\r\n') },
  { name: 'headers larger than the server accepts', status: 431, run: wire(head(['GET /api/health HTTP/1.1', 'Host: x', `X-Padding: ${'a'.repeat(20 * KB)}`])) },
  { name: 'a request line that is not HTTP', status: 400, run: wire('HELLO THERE\r\n\r\n') },
  { name: 'a header name with a space in it', status: 400, run: wire(head(['GET /api/health HTTP/1.1', 'Host: x', 'Bad Header: 1'])) },
  { name: 'a body shorter than its Content-Length, then the client hangs up', status: 400, run: wire(head(['POST /api/guarded/echo HTTP/1.1', 'Host: x', 'X-API-Key: ' + DEV_KEY, 'Content-Type: application/json', 'Content-Length: 100']) + '{"text":', { endAfterWrite: true }) },
  { name: 'a path that climbs out of /api with encoded dots', status: 400, run: wire(head(['GET /api/%2e%2e/%2e%2e/etc/passwd HTTP/1.1', 'Host: x', 'Connection: close'])) },

  // --- keys
  { name: 'no API key', status: 401, run: (hub) => send(hub.url, { path: ECHO, headers: { 'content-type': 'application/json' }, body: '{}' }) },
  { name: 'an unknown API key', status: 401, run: (hub) => send(hub.url, { path: ECHO, headers: { 'x-api-key': 'guess', 'content-type': 'application/json' }, body: '{}' }) },
  { name: 'a Basic Authorization header', status: 401, run: (hub) => send(hub.url, { path: ECHO, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' }, body: '{}' }) },
  { name: 'a key of 4 KB', status: 401, run: (hub) => send(hub.url, { path: ECHO, headers: { 'x-api-key': 'k'.repeat(4 * KB) }, body: '{}' }) },
  { name: 'the key header sent twice', status: 401, run: (hub) => send(hub.url, { path: ECHO, headers: { 'x-api-key': [DEV_KEY, DEV_KEY], 'content-type': 'application/json' }, body: '{}' }) },

  // --- routing
  { name: 'a method the route does not have', status: 405, run: (hub) => send(hub.url, { method: 'DELETE', path: ECHO, headers: keyed }) },
  { name: 'a route that does not exist', status: 404, run: (hub) => send(hub.url, { method: 'GET', path: '/api/../../../etc/shadow', headers: keyed }) },

  // --- multipart framing
  { name: 'multipart without a boundary', status: 400, run: rawBody(UPLOAD, 'multipart/form-data', multipartBody([{ name: 'note', data: 'x' }])) },
  { name: 'multipart with an empty boundary', status: 400, run: rawBody(UPLOAD, 'multipart/form-data; boundary=""', multipartBody([{ name: 'note', data: 'x' }])) },
  { name: 'multipart whose body never mentions its boundary', status: 400, run: rawBody(UPLOAD, multipartType(), 'just some bytes, no parts at all') },
  { name: 'multipart cut off before its closing boundary', status: 400, run: rawBody(UPLOAD, multipartType(), multipartBody([{ name: 'audio', filename: 'a.wav', data: wavOfSeconds(0.1) }]).subarray(0, 200)) },
  { name: 'multipart with Content-Encoding gzip', status: 415, run: multipart([{ name: 'audio', filename: 'a.wav', data: wavOfSeconds(0.1) }], { 'content-encoding': 'gzip' }) },

  // --- multipart fields and files
  { name: 'a file in a field the route does not have', status: 400, run: multipart([{ name: 'evil', filename: 'x.sh', data: '#!/bin/sh' }]) },
  { name: 'the same file field twice', status: 400, run: multipart([{ name: 'audio', filename: 'a.wav', data: wavOfSeconds(0.1) }, { name: 'file', filename: 'b.wav', data: wavOfSeconds(0.1) }]) },
  { name: 'an upload field sent as text', status: 400, run: multipart([{ name: 'audio', data: 'not a file' }]) },
  { name: 'a path-like file name', status: 400, run: audio(wavOfSeconds(0.1), { filename: '../../../etc/passwd' }) },
  { name: 'a Windows path as file name', status: 400, run: audio(wavOfSeconds(0.1), { filename: 'C:\\Users\\x\\a.wav' }) },
  { name: 'a file name with a control character', status: 400, run: audio(wavOfSeconds(0.1), { filename: 'a\x01b.wav' }) },
  { name: 'a text field that is not UTF-8', status: 400, run: multipart([{ name: 'audio', filename: 'a.wav', data: wavOfSeconds(0.1) }, { name: 'note', data: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) }]) },
  { name: 'a field named __proto__', status: 400, run: multipart([{ name: '__proto__', data: '{"admin":true}' }]) },
  { name: 'the same text field twice', status: 400, run: multipart([{ name: 'note', data: 'a' }, { name: 'note', data: 'b' }]) },
  { name: 'more fields than allowed', status: 413, run: multipart(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, data: 'x' }))) },
  { name: 'more files than allowed', status: 413, run: multipart([{ name: 'audio', filename: 'a.wav', data: 'x' }, { name: 'reference_audio', filename: 'b.wav', data: 'x' }, { name: 'c', filename: 'c.wav', data: 'x' }]) },
  { name: 'a text field over its size limit', status: 413, run: multipart([{ name: 'note', data: 'x'.repeat(4 * KB) }]) },
  { name: 'a content file over its size limit', status: 413, run: audio(wavFile({ dataBytes: 300 * KB })) },
  { name: 'a reference file over its size limit', status: 413, run: multipart([{ name: 'audio', filename: 'a.wav', data: wavOfSeconds(0.1) }, { name: 'reference_audio', filename: 'r.wav', data: wavFile({ dataBytes: 80 * KB }) }]) },
  { name: 'a text field the route does not have', status: 400, run: multipart([{ name: 'audio', filename: 'a.wav', data: wavOfSeconds(0.1) }, { name: 'colour', data: 'blue' }]) },

  // --- what the bytes are
  { name: 'an empty file', status: 400, run: audio('') },
  { name: 'HTML posing as a WAV', status: 415, run: audio('<html><script>alert(1)</script></html>', { type: 'audio/wav' }) },
  { name: 'a PNG image', status: 415, run: audio(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)])) },
  { name: 'a RIFF file that is an AVI, not a WAVE', status: 415, run: audio(Buffer.concat([Buffer.from('RIFF\x00\x10\x00\x00AVI LIST', 'latin1'), Buffer.alloc(64)])) },
  { name: 'WAV bytes declared as audio/mpeg', status: 415, run: audio(wavOfSeconds(0.2), { type: 'audio/mpeg' }) },
  { name: 'an ID3 tag with no audio after it', status: 415, run: audio(Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x20', 'latin1'), Buffer.alloc(32)])) },
  { name: 'an Ogg stream of a codec that is not Vorbis or Opus', status: 415, run: audio(oggUnknownCodec()) },
  { name: 'random bytes that happen to start with an MPEG sync word', status: 415, run: audio(Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(100, 0x41)])) },

  // --- lying and broken headers
  { name: 'a WAV header cut short', status: 400, run: audio(wavFile().subarray(0, 20)) },
  { name: 'a WAV claiming 10 000 channels', status: 400, run: audio(wavFile({ channels: 10000, blockAlign: 20000 })) },
  { name: 'a WAV claiming 4 GB of data in 3 KB', status: 400, run: audio(wavFile({ claimedDataBytes: 0xfffffff0 })) },
  { name: 'a WAV at 0 Hz', status: 400, run: audio(wavFile({ sampleRate: 0 })) },
  { name: 'a WAV at 4 GHz', status: 400, run: audio(wavFile({ sampleRate: 0xfffffff0 })) },
  { name: 'a WAV whose block align contradicts its channels and bits', status: 400, run: audio(wavFile({ blockAlign: 3 })) },
  { name: 'a WAV whose data comes before its format', status: 400, run: audio(wavDataBeforeFmt()) },
  { name: 'a WAV with a 4-byte fmt chunk', status: 400, run: audio(wavShortFmt()) },
  { name: 'a WAV with no samples', status: 400, run: audio(wavFile({ dataBytes: 0, claimedDataBytes: 0 }).subarray(0, 44)) },
  { name: 'a WAV holding MP3 (format 0x55)', status: 415, run: audio(wavFile({ format: 0x55 })) },
  { name: 'a 12-bit float WAV', status: 415, run: audio(wavFile({ format: 3, bits: 12, blockAlign: 2 })) },
  { name: 'a FLAC whose first block is not STREAMINFO', status: 400, run: audio(Buffer.concat([Buffer.from('fLaC\x84\x00\x00\x10', 'latin1'), Buffer.alloc(64)])) },
  { name: 'a FLAC at 0 Hz', status: 400, run: audio(flacHeader({ sampleRate: 0, totalSamples: 1000 })) },
  { name: 'an Opus stream with 0 channels', status: 400, run: audio(oggOpusNoChannels()) },
  { name: 'a WAV longer than its class allows', status: 413, run: audio(wavOfSeconds(12, 1000)) },
  { name: 'an MP3 longer than its class allows', status: 413, run: audio(mp3Frames(400)) },

  // --- JSON, forms and the query string
  { name: 'JSON cut off mid-object', status: 400, run: json('{"text": "hi", "steps": ') },
  { name: 'JSON with NaN', status: 400, run: json('{"scale": NaN}') },
  { name: 'JSON with a number that overflows to Infinity', status: 400, run: json('{"seed": 1e400}') },
  { name: 'JSON with an integer beyond 2^53', status: 400, run: json('{"seed": 99999999999999999999999}') },
  { name: 'a negative step count', status: 422, run: json('{"steps": -1}') },
  { name: 'a number where text belongs', status: 400, run: json('{"text": 42}') },
  { name: 'a JSON array instead of an object', status: 400, run: json('[{"text": "hi"}]') },
  { name: 'JSON null', status: 400, run: json('null') },
  { name: 'JSON that is not UTF-8', status: 400, run: json(Buffer.from('{"text": "\xff\xfe"}', 'latin1')) },
  { name: 'JSON with a __proto__ key', status: 400, run: json('{"__proto__": {"isAdmin": true}}') },
  { name: 'JSON nested 3000 deep', status: 400, run: json('{"options": ' + '['.repeat(3000) + ']'.repeat(3000) + '}') },
  { name: 'a JSON body over its cap', status: 413, run: json(`{"text": "${'x'.repeat(16 * KB)}"}`) },
  { name: 'JSON in UTF-16', status: 415, run: rawBody(ECHO, 'application/json; charset=utf-16', Buffer.from('{"text":"hi"}', 'utf16le')) },
  { name: 'a form with a field twice', status: 400, run: form('text=a&text=b') },
  { name: 'a form with bytes that are not UTF-8', status: 400, run: form('text=%C0%AF') },
  { name: 'a form field the route does not have', status: 400, run: form('is_admin=true') },
  { name: 'a query string with a field twice', status: 400, run: (hub) => send(hub.url, { path: `${ECHO}?text=a&text=b`, headers: { ...keyed, 'content-type': 'application/json' }, body: '{}' }) },
  { name: 'a query string that is not UTF-8', status: 400, run: (hub) => send(hub.url, { path: `${ECHO}?text=%ED%A0%80`, headers: { ...keyed, 'content-type': 'application/json' }, body: '{}' }) },
  { name: 'a body of text/plain', status: 415, run: rawBody(ECHO, 'text/plain', 'text=hi') },
  { name: 'a body with no Content-Type', status: 415, run: (hub) => send(hub.url, { path: ECHO, headers: keyed, body: '{"text":"hi"}' }) },
  { name: 'XML posing as JSON', status: 400, run: json('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>') },
];

describe('the bad-input corpus', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub(LIMITS);
  });
  after(() => hub.stop());

  it(`holds at least 40 hostile or broken requests (it holds ${CASES.length})`, () => {
    assert.ok(CASES.length >= 40);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, 'case names are unique');
  });

  for (const c of CASES) {
    it(`answers ${c.status} with a detail to ${c.name}`, async () => {
      const res = await c.run(hub);
      assert.equal(res.status, c.status, `${c.name}: ${res.status} ${res.text.slice(0, 300)}`);
      assert.equal(typeof res.json?.detail, 'string', `${c.name}: no detail in ${res.text.slice(0, 200)}`);
      assert.ok((res.json!.detail as string).length > 0);
      assert.doesNotMatch(res.json!.detail as string, /\bat .+\.(ts|js):\d+/, 'no stack trace');
    });
  }

  it('is still up afterwards, with no upload left in the temp area', async () => {
    const health = await hub.call('/api/health', { key: null });
    assert.equal(health.status, 200);
    const form = new FormData();
    form.set('audio', new Blob([wavOfSeconds(0.5)], { type: 'audio/wav' }), 'ok.wav');
    assert.equal((await hub.call(UPLOAD, { method: 'POST', body: form })).status, 200);
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
  });
});
