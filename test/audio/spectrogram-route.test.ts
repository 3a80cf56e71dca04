// POST /api/audio/spectrogram and /api/audio/waveform over real HTTP: pictures of the
// requested size and format, behind the same key, validation and upload rules as plugin routes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { encodeWav } from '../../core/audio/encode/wav-writer.ts';
import { startTestHub, type TestHub } from '../support/test-hub.ts';
import { tone } from './support/tones.ts';

const wav = (seconds: number) => new Blob([encodeWav([tone({ sampleRate: 16000, seconds, frequency: 440 })], 16000)], { type: 'audio/wav' });

function form(fields: Record<string, string | Blob>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') body.set(name, value);
    else body.set(name, value, 'clip.wav');
  }
  return body;
}

describe('the audio pictures surface', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ uploads: { classes: { content: { maxBytes: 10_000_000, maxSeconds: 2 } } } });
  });
  after(() => hub.stop());

  it('renders a PNG spectrogram of the requested size', async () => {
    const res = await hub.call('/api/audio/spectrogram', { method: 'POST', body: form({ audio: wav(1), width: '400', height: '120' }) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 400, 120]);
  });

  it('renders WebP with a linear axis and another colour map', async () => {
    const res = await hub.call('/api/audio/spectrogram', { method: 'POST', body: form({ audio: wav(0.5), format: 'webp', scale: 'linear', colormap: 'viridis' }) });
    assert.equal(res.status, 200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 1000, 320]);
  });

  it('renders a waveform overview', async () => {
    const res = await hub.call('/api/audio/waveform', { method: 'POST', body: form({ audio: wav(0.5), width: '300', height: '60' }) });
    assert.equal(res.status, 200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels], [300, 60, 4]);
  });

  it('needs an API key', async () => {
    const res = await hub.call('/api/audio/spectrogram', { method: 'POST', body: form({ audio: wav(0.2) }), key: null });
    assert.equal(res.status, 401);
  });

  it('answers 422 naming a field outside its range', async () => {
    const res = await hub.call('/api/audio/spectrogram', { method: 'POST', body: form({ audio: wav(0.2), width: '99999' }) });
    assert.equal(res.status, 422);
    assert.match(((await res.json()) as { detail: string }).detail, /^width: /);
  });

  it('answers 400 when the audio upload is missing, 415 when it is not audio', async () => {
    const missing = await hub.call('/api/audio/spectrogram', { method: 'POST', body: form({ width: '100' }) });
    assert.equal(missing.status, 400);
    const text = await hub.call('/api/audio/spectrogram', { method: 'POST', body: form({ audio: new Blob(['hello, this is text '.repeat(20)], { type: 'text/plain' }) }) });
    assert.equal(text.status, 415);
  });

  it('answers 413 naming the duration for audio over the upload class limit', async () => {
    const res = await hub.call('/api/audio/spectrogram', { method: 'POST', body: form({ audio: wav(3) }) });
    assert.equal(res.status, 413);
    assert.match(((await res.json()) as { detail: string }).detail, /^audio: .*\b3(\.0)? s\b.*\b2 s\b/);
  });

  it('is described in the OpenAPI document with its image responses', async () => {
    const document = (await (await hub.call('/api/openapi.json')).json()) as { paths: Record<string, any> };
    const op = document.paths['/api/audio/spectrogram'].post;
    assert.ok(op.responses['200'].content['image/png'] && op.responses['200'].content['image/webp']);
    assert.equal(op.requestBody.content['multipart/form-data'].schema.properties.audio.format, 'binary');
  });
});
