// Streaming speech: the WAV framing (unknown-length header, then PCM), its equality with
// the whole response for a deterministic plugin, smooth joins between chunks, chunked
// delivery, and the refusals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { splitIntoChunks } from '../../core/surfaces/openai/text-chunks.ts';
import { received } from '../fixtures/plugins/tone-tts/index.ts';
import type { TestHub } from '../support/test-hub.ts';
import { decodeWav, int16Samples, speak, sseEvents, startSpeechHub } from './support.ts';

/** Six sentences of 40-odd characters: with chunk_length 100, several chunks and joins. */
const INPUT = [
  'The first sentence sets a steady tone.',
  'A second one follows it without a pause.',
  'Then a third arrives, a little longer than the others.',
  'Number four is short.',
  'Five keeps the stream going for a while yet.',
  'And six closes the utterance.',
].join(' ');

/** The largest step between neighbouring samples. */
function largestStep(samples: Float32Array): number {
  let max = 0;
  for (let i = 1; i < samples.length; i++) max = Math.max(max, Math.abs(samples[i]! - samples[i - 1]!));
  return max;
}

describe('streamed speech', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startSpeechHub();
  });
  after(() => hub.stop());

  it('sends a WAV header with the unknown-length sentinel, then 16-bit mono PCM', async () => {
    const res = await speak(hub, { input: INPUT, chunk_length: 100 }, { path: '/v1/audio/speech/stream' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'audio/wav');
    assert.equal(res.headers.get('x-cache'), 'BYPASS');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.toString('ascii', 0, 4), 'RIFF');
    assert.equal(bytes.readUInt32LE(4), 0xffffffff);
    assert.equal(bytes.toString('ascii', 8, 16), 'WAVEfmt ');
    assert.equal(bytes.readUInt16LE(20), 1, 'PCM');
    assert.equal(bytes.readUInt16LE(22), 1, 'mono');
    assert.equal(bytes.readUInt32LE(24), 24000);
    assert.equal(bytes.readUInt16LE(34), 16);
    assert.equal(bytes.toString('ascii', 36, 40), 'data');
    assert.equal(bytes.readUInt32LE(40), 0xffffffff);
    assert.equal((bytes.length - 44) % 2, 0, 'whole samples only');
  });

  it('streams PCM equal, sample for sample, to the whole response, with nothing cut from the tail', async () => {
    const body = { input: INPUT, chunk_length: 100, cache: false };
    received.length = 0;
    const whole = int16Samples(new Uint8Array(await (await speak(hub, { ...body, response_format: 'pcm' })).arrayBuffer()));
    const spoken = received.reduce((n, r) => n + [...r.text].length, 0);
    assert.ok(received.length >= 3, `${received.length} chunks`);
    const streamedWav = decodeWav(new Uint8Array(await (await speak(hub, body, { path: '/v1/audio/speech/stream' })).arrayBuffer()));
    const streamedPcm = int16Samples(new Uint8Array(await (await speak(hub, { ...body, stream: true, response_format: 'pcm' })).arrayBuffer()));
    assert.equal(whole.length, spoken * 1200, 'every character synthesised is in the audio');
    assert.deepEqual(streamedWav.samples, whole);
    assert.deepEqual(streamedPcm, whole);
  });

  it('joins chunks without clicks: no step between samples is larger than the tone itself makes', async () => {
    const res = await speak(hub, { input: INPUT, chunk_length: 100, response_format: 'pcm', cache: false });
    const samples = int16Samples(new Uint8Array(await res.arrayBuffer()));
    // tone-tts at amplitude 0.4 and at most 520 Hz moves at most 0.4·2π·520/24000 ≈ 0.055 per sample.
    assert.ok(largestStep(samples) < 0.06, `largest step ${largestStep(samples)}`);
  });

  it('delivers the stream in several pieces, as chunks are made', async () => {
    const res = await speak(hub, { input: INPUT, chunk_length: 100, response_format: 'pcm' }, { path: '/v1/audio/speech/stream' });
    let pieces = 0;
    for await (const _piece of res.body!) pieces++;
    assert.ok(pieces >= 3, `${pieces} pieces`);
  });

  it('stops making chunks when the client goes away mid-stream, and keeps serving', async () => {
    received.length = 0;
    const input = 'Speech goes on and on. '.repeat(178);
    const res = await speak(hub, { input, chunk_length: 100, response_format: 'pcm' }, { path: '/v1/audio/speech/stream' });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    // About 10 MB of PCM: more than the socket buffers hold, so the server meets the closed connection.
    const total = splitIntoChunks(input, 100).length;
    const after = await speak(hub, { input: 'Still here.', response_format: 'pcm', cache: false });
    assert.equal(after.status, 200);
    await after.arrayBuffer();
    assert.ok(received.length - 1 < total, `${received.length - 1} of ${total} chunks made`);
  });

  it('streams SSE from the stream route too, ending with speech.audio.done', async () => {
    const res = await speak(hub, { input: INPUT, chunk_length: 100, stream_format: 'sse' }, { path: '/v1/audio/speech/stream' });
    const events = sseEvents(await res.text());
    assert.ok(events.length >= 4, `${events.length} events`);
    assert.equal(events.at(-1)!.type, 'speech.audio.done');
  });

  it('refuses to stream a format that needs its whole length first, naming the streamable ones', async () => {
    const res = await speak(hub, { input: 'ok', response_format: 'mp3', stream: true });
    assert.equal(res.status, 400);
    const { error } = (await res.json()) as { error: { param: string; message: string } };
    assert.equal(error.param, 'response_format');
    assert.match(error.message, /wav, pcm/);
  });

  it('answers a model refusal before streaming with its status, not a broken stream', async () => {
    const res = await speak(hub, { input: 'ok', language: 'fr' }, { path: '/v1/audio/speech/stream' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { param: string } }).error.param, 'language');
  });
});
