import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';
import { flacHeader, mp3Frames, oggOpus, wavFile, wavOfSeconds } from './support/audio-bytes.ts';
import { settledTempFiles, startGuardedHub, tempFiles } from './support/guarded-hub.ts';
import { multipartBody, multipartType, type Part } from './support/multipart-body.ts';
import { send, uploadUntilAnswered } from './support/raw-http.ts';

const MB = 1024 * 1024;
const LIMITS = {
  uploads: {
    classes: { content: { maxBytes: 1 * MB, maxSeconds: 20 }, reference: { maxBytes: 256 * 1024, maxSeconds: 5 } },
    maxRequestBytes: 128 * MB,
    maxFiles: 2,
    maxFields: 8,
    maxFieldBytes: 1024,
    // Small enough that the larger uploads below take the temp-file path.
    memoryBytes: 256 * 1024,
  },
};
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

type Json = Record<string, any>;

function upload(hub: TestHub, parts: readonly Part[]) {
  return send(hub.url, { path: '/api/guarded/upload', headers: { 'x-api-key': DEV_KEY, 'content-type': multipartType() }, body: multipartBody(parts) });
}

describe('uploads: limits enforced while the body streams', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub(LIMITS);
  });
  after(() => hub.stop());

  it('accepts a file within its limits and removes its temp file after the answer', async () => {
    const data = wavOfSeconds(1);
    const res = await upload(hub, [{ name: 'audio', filename: 'tone.wav', type: 'audio/wav', data }, { name: 'note', data: 'héllo wörld' }]);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { note: 'héllo wörld', files: [{ field: 'audio', filename: 'tone.wav', size: 16044, format: 'wav', kept: 'memory', sha256: sha256(data) }] });
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
  });

  it('keeps a file up to memoryBytes in memory and moves a larger one to a temp file, bytes intact', async () => {
    const small = wavFile({ sampleRate: 48000, dataBytes: 256 * 1024 - 44 }); // exactly memoryBytes
    const large = wavFile({ sampleRate: 48000, dataBytes: 700 * 1024 });
    const res = await upload(hub, [{ name: 'audio', filename: 'large.wav', data: large }, { name: 'reference_audio', filename: 'small.wav', data: small }]);
    assert.equal(res.status, 200, res.text);
    const files = (res.json as Json).files as Json[];
    assert.deepEqual(files.map((f) => [f.field, f.size, f.kept, f.sha256]), [
      ['audio', large.length, 'file', sha256(large)],
      ['reference_audio', small.length, 'memory', sha256(small)],
    ]);
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
  });

  it('answers 413 as soon as a file crosses its class limit, while the client still has most of the body unsent', async () => {
    const total = 64 * MB;
    const head = Buffer.from(`--${'hubtestboundary7MA4YWxkTrZu0gW'}\r\nContent-Disposition: form-data; name="audio"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`);
    const res = await uploadUntilAnswered(hub.url, {
      path: '/api/guarded/upload',
      headers: { 'x-api-key': DEV_KEY, 'content-type': multipartType(), 'content-length': total },
      head,
      total,
    });
    assert.equal(res.status, 413, res.text);
    assert.match(res.json?.detail, /audio: the file exceeds the 1 MB limit for content uploads/);
    assert.ok(res.unsentBytes > 32 * MB, `the answer came after ${((total - res.unsentBytes) / MB).toFixed(1)} MB of ${total / MB} MB`);
    assert.equal(res.headers.connection, 'close');
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
  });

  it('answers 413 mid-stream for a chunked body whose reference file crosses its limit', async () => {
    const total = 64 * MB;
    const head = Buffer.from(`--hubtestboundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--hubtestboundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name="reference_audio"; filename="r.wav"\r\n\r\n`);
    const res = await uploadUntilAnswered(hub.url, { path: '/api/guarded/upload', headers: { 'x-api-key': DEV_KEY, 'content-type': multipartType() }, head, total });
    assert.equal(res.status, 413);
    assert.match(res.json?.detail, /reference_audio: the file exceeds the 256 KB limit for reference uploads/);
    assert.ok(res.unsentBytes > 32 * MB);
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
  });

  it('answers 413 before reading anything when Content-Length already exceeds the request cap', async () => {
    const res = await uploadUntilAnswered(hub.url, {
      path: '/api/guarded/upload',
      headers: { 'x-api-key': DEV_KEY, 'content-type': multipartType(), 'content-length': 256 * MB },
      head: Buffer.alloc(1024),
      total: 256 * MB,
    });
    assert.equal(res.status, 413);
    assert.match(res.json?.detail, /request body of 256 MB exceeds the 128 MB limit/);
    assert.ok(res.unsentBytes > 200 * MB);
  });

  it('removes the temp files of an upload the client abandons halfway', async () => {
    const req = request(`${hub.url}/api/guarded/upload`, { method: 'POST', headers: { 'x-api-key': DEV_KEY, 'content-type': multipartType(), 'content-length': 4 * MB } });
    req.on('error', () => undefined);
    req.write(Buffer.from(`--hubtestboundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\n`));
    await new Promise<void>((resolve) => req.write(Buffer.alloc(512 * 1024, 1), () => resolve()));
    // Wait until the server has started writing the file, then hang up.
    for (let i = 0; i < 100 && (await tempFiles(hub.dataDir)).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await tempFiles(hub.dataDir)).length, 1, 'the upload reached the temp area');
    req.destroy();
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
    assert.equal((await hub.call('/api/health', { key: null })).status, 200);
  });

  it('applies the reference class limit to reference fields and the content limit to content fields', async () => {
    const ref = await upload(hub, [{ name: 'audio', filename: 'a.wav', data: wavOfSeconds(1) }, { name: 'reference_audio', filename: 'r.wav', data: wavFile({ sampleRate: 48000, dataBytes: 300 * 1024 }) }]);
    assert.equal(ref.status, 413);
    assert.match(ref.json?.detail, /reference_audio: .*256 KB limit for reference uploads/);
    const content = await upload(hub, [{ name: 'audio', filename: 'a.wav', data: wavFile({ sampleRate: 48000, dataBytes: 600 * 1024 }) }]);
    assert.equal(content.status, 200, content.text);
  });

  it('limits the number of files, the number of fields and the size of a text field', async () => {
    const files = await upload(hub, [
      { name: 'audio', filename: 'a.wav', data: wavOfSeconds(0.1) },
      { name: 'reference_audio', filename: 'b.wav', data: wavOfSeconds(0.1) },
      { name: 'file', filename: 'c.wav', data: wavOfSeconds(0.1) },
    ]);
    assert.equal(files.status, 413);
    assert.match(files.json?.detail, /too many files: at most 2/);
    const fields = await upload(hub, Array.from({ length: 9 }, (_, i) => ({ name: `f${i}`, data: 'x' })));
    assert.equal(fields.status, 413);
    assert.match(fields.json?.detail, /too many fields: at most 8/);
    const long = await upload(hub, [{ name: 'note', data: 'x'.repeat(2000) }]);
    assert.equal(long.status, 413);
    assert.match(long.json?.detail, /field 'note' exceeds the 1 KB limit/);
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
  });
});

describe('uploads: the whole-request cap', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub({ uploads: { ...LIMITS.uploads, maxRequestBytes: 512 * 1024 } });
  });
  after(() => hub.stop());

  it('answers 413 mid-stream when a chunked body passes the request cap before any file limit', async () => {
    const total = 64 * MB;
    const head = Buffer.from(`--hubtestboundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\n`);
    const res = await uploadUntilAnswered(hub.url, { path: '/api/guarded/upload', headers: { 'x-api-key': DEV_KEY, 'content-type': multipartType() }, head, total });
    assert.equal(res.status, 413);
    assert.match(res.json?.detail, /request body exceeds the 512 KB limit/);
    assert.ok(res.unsentBytes > 32 * MB);
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
  });
});

describe('uploads: format by content and honest headers', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startGuardedHub(LIMITS);
  });
  after(() => hub.stop());

  const expectStatus = async (parts: Part[], status: number, detail: RegExp) => {
    const res = await upload(hub, parts);
    assert.equal(res.status, status, res.text);
    assert.match(String(res.json?.detail), detail);
  };

  it('sniffs WAV, MP3, FLAC and Ogg Opus from the bytes, whatever the file is called', async () => {
    for (const [data, format] of [[wavOfSeconds(0.5), 'wav'], [mp3Frames(20), 'mp3'], [flacHeader({ sampleRate: 16000, totalSamples: 16000 }), 'flac'], [oggOpus({ seconds: 1 }), 'ogg-opus']] as const) {
      const res = await upload(hub, [{ name: 'audio', filename: 'misnamed.txt', type: 'application/octet-stream', data }]);
      assert.equal(res.status, 200, `${format}: ${res.text}`);
      assert.equal(res.json?.files[0].format, format);
    }
  });

  it('answers 415 listing the accepted formats for bytes that are not audio', async () => {
    await expectStatus([{ name: 'audio', filename: 'a.wav', type: 'audio/wav', data: '<html>not audio</html>' }], 415, /accepted formats: wav, mp3, flac, ogg-vorbis, ogg-opus/);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
    await expectStatus([{ name: 'audio', filename: 'a.png', data: png }], 415, /not a recognised format/);
  });

  it('answers 415 when the bytes contradict the declared type', async () => {
    await expectStatus([{ name: 'audio', filename: 'a.mp3', type: 'audio/mpeg', data: wavOfSeconds(0.5) }], 415, /declared as audio\/mpeg but its bytes are wav/);
  });

  it('answers 400 for an empty file and for truncated or lying WAV headers', async () => {
    await expectStatus([{ name: 'audio', filename: 'a.wav', data: '' }], 400, /empty/);
    await expectStatus([{ name: 'audio', filename: 'a.wav', data: wavFile().subarray(0, 30) }], 400, /wav (fmt chunk is truncated|file has no)/);
    await expectStatus([{ name: 'audio', filename: 'a.wav', data: wavFile({ channels: 10000, blockAlign: 20000 }) }], 400, /claims 10000 channels/);
    await expectStatus([{ name: 'audio', filename: 'a.wav', data: wavFile({ claimedDataBytes: 0xfffffff0 }) }], 400, /claims 4 GB of audio data but the file holds 3.1 KB/);
    await expectStatus([{ name: 'audio', filename: 'a.wav', data: wavFile({ sampleRate: 0 }) }], 400, /sample rate of 0 Hz/);
    await expectStatus([{ name: 'audio', filename: 'a.wav', data: wavFile({ blockAlign: 7 }) }], 400, /block align/);
    await expectStatus([{ name: 'audio', filename: 'a.wav', data: wavFile({ format: 0x55 }) }], 415, /wav encoding 0x0055 is not supported/);
    await expectStatus([{ name: 'audio', filename: 'a.wav', data: wavFile({ format: 3, bits: 12, blockAlign: 2 }) }], 415, /12-bit IEEE float/);
  });

  it('accepts a streaming WAV whose data size is unknown (0xFFFFFFFF) and measures the bytes present', async () => {
    const res = await upload(hub, [{ name: 'audio', filename: 'live.wav', data: wavFile({ claimedDataBytes: 0xffffffff }) }]);
    assert.equal(res.status, 200, res.text);
  });

  it('answers 413 naming the duration found when a file is longer than its class allows', async () => {
    // WAV and FLAC declare their length in the header: refused from it while the body streams,
    // or (a small file that has wholly arrived first) by the check of the whole file.
    await expectStatus([{ name: 'audio', filename: 'long.wav', data: wavOfSeconds(25, 2000) }], 413, /audio: the audio (header declares|is) 25\.0 s(?: long)?; content uploads may be at most 20 s/);
    await expectStatus([{ name: 'audio', filename: 'a.wav', data: wavOfSeconds(1) }, { name: 'reference_audio', filename: 'r.wav', data: wavOfSeconds(6, 2000) }], 413, /reference_audio: the audio (header declares|is) 6\.0 s(?: long)?; reference uploads may be at most 5 s/);
    await expectStatus([{ name: 'audio', filename: 'long.flac', data: flacHeader({ sampleRate: 16000, totalSamples: 16000 * 3600 }) }], 413, /3600\.0 s/);
    await expectStatus([{ name: 'audio', filename: 'long.opus', data: oggOpus({ seconds: 90 }) }], 413, /90\.0 s long/);
    // 900 CBR frames of 1152 samples at 44.1 kHz: 23.5 s.
    await expectStatus([{ name: 'audio', filename: 'long.mp3', data: mp3Frames(900) }], 413, /23\.5 s long/);
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
  });

  it('refuses path-like file names instead of trimming them', async () => {
    for (const filename of ['../../etc/passwd', 'C:\\Windows\\x.wav', '..']) {
      await expectStatus([{ name: 'audio', filename, data: wavOfSeconds(0.1) }], 400, /must be a plain name, not a path/);
    }
  });

  it('accepts a documented alias of an upload field', async () => {
    const res = await upload(hub, [{ name: 'file', filename: 'a.wav', data: wavOfSeconds(0.1) }]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json?.files[0].field, 'audio');
  });

  it('answers 400 when a required upload is missing or sent as a text field', async () => {
    await expectStatus([{ name: 'note', data: 'no file' }], 400, /audio: a file upload is required/);
    await expectStatus([{ name: 'audio', data: 'just text' }], 400, /field 'audio' must be sent as a file upload/);
  });

  it('keeps the hub up and the temp area empty after all of it', async () => {
    assert.equal((await hub.call('/api/health', { key: null })).status, 200);
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
  });
});

describe('uploads: a declared duration over the limit is refused while the body streams', () => {
  let hub: TestHub;
  before(async () => {
    // Bytes allow 128 MB, seconds allow 600: only the duration can refuse these files.
    hub = await startGuardedHub({ uploads: { ...LIMITS.uploads, classes: { content: { maxBytes: 128 * MB, maxSeconds: 600 }, reference: { maxBytes: 128 * MB, maxSeconds: 30 } }, maxRequestBytes: 256 * MB } });
  });
  after(() => hub.stop());

  const streamed = (head: Buffer, total: number, field = 'audio') =>
    uploadUntilAnswered(hub.url, {
      path: '/api/guarded/upload',
      headers: { 'x-api-key': DEV_KEY, 'content-type': multipartType(), 'content-length': total },
      head: Buffer.concat([Buffer.from(`--hubtestboundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name="${field}"; filename="long"\r\n\r\n`), head]),
      total,
    });

  it('answers 413 from the WAV header of a 90 MB file declaring 2,949 s, long before its end', async () => {
    // 16-bit stereo at 8 kHz: 32,000 bytes a second; 94 MB of data is about 2,949 s.
    const dataBytes = 2949 * 32_000;
    const header = wavFile({ channels: 2, sampleRate: 8000, dataBytes: 0, claimedDataBytes: dataBytes });
    const res = await streamed(header, 90 * MB);
    assert.equal(res.status, 413, res.text);
    assert.match(res.json?.detail, /audio: the audio header declares 2949\.0 s; content uploads may be at most 600 s/);
    assert.ok(res.unsentBytes > 80 * MB, `the answer came after ${((90 * MB - res.unsentBytes) / MB).toFixed(1)} MB of 90 MB`);
    assert.deepEqual(await settledTempFiles(hub.dataDir), []);
  });

  it('does the same for a FLAC STREAMINFO and a reference upload with its own limit', async () => {
    const flac = await streamed(flacHeader({ sampleRate: 16000, totalSamples: 16000 * 700 }), 64 * MB);
    assert.equal(flac.status, 413, flac.text);
    assert.match(flac.json?.detail, /declares 700\.0 s/);
    assert.ok(flac.unsentBytes > 48 * MB);
    const ref = await streamed(wavFile({ sampleRate: 16000, dataBytes: 0, claimedDataBytes: 40 * 32_000 }), 64 * MB, 'reference_audio');
    assert.equal(ref.status, 413, ref.text);
    assert.match(ref.json?.detail, /reference_audio: the audio header declares 40\.0 s; reference uploads may be at most 30 s/);
    assert.ok(ref.unsentBytes > 48 * MB);
  });

  it('lets a WAV whose header gives no size (streamed, 0xFFFFFFFF) through to the full check', async () => {
    const res = await upload(hub, [{ name: 'audio', filename: 'live.wav', data: wavFile({ claimedDataBytes: 0xffffffff }) }]);
    assert.equal(res.status, 200, res.text);
  });
});
