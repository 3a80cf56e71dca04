// The hub driven by the official `openai` npm package, unmodified, over real HTTP: every
// response format decoded by an independent decoder, streaming (audio and SSE), models,
// and the SDK's typed errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import OpenAI from 'openai';
import type { TestHub } from '../support/test-hub.ts';
import { decodeWav, DEV_KEY, int16Samples, rms, sseEvents, startSpeechHub } from './support.ts';

const INPUT = 'Hello world';
/** tone-tts speaks 50 ms per character at 24 kHz. */
const SECONDS = INPUT.length * 0.05;
const RATE = 24000;

async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

describe('the official openai SDK against the hub', () => {
  let hub: TestHub;
  let client: OpenAI;
  before(async () => {
    hub = await startSpeechHub();
    client = new OpenAI({ apiKey: DEV_KEY, baseURL: `${hub.url}/v1`, maxRetries: 0 });
  });
  after(() => hub.stop());

  const create = (extra: Partial<OpenAI.Audio.SpeechCreateParams> = {}) => client.audio.speech.create({ model: 'tone-tts', voice: 'alloy', input: INPUT, ...extra });

  it('gets mp3 by default, which decodes to the right length of non-silent audio', async () => {
    const response = await create();
    assert.equal(response.headers.get('content-type'), 'audio/mpeg');
    const decoder = new MPEGDecoder();
    await decoder.ready;
    const decoded = decoder.decode(await bytesOf(response));
    decoder.free();
    assert.equal(decoded.sampleRate, RATE);
    // MP3 frames pad the end (and the encoder adds its delay): up to two frames more.
    const seconds = decoded.samplesDecoded / decoded.sampleRate;
    assert.ok(seconds >= SECONDS - 0.01 && seconds <= SECONDS + 0.15, `${seconds} s`);
    assert.ok(rms(decoded.channelData[0]!) > 0.1, 'mp3 is silent');
  });

  it('gets opus in Ogg, which decodes at 48 kHz to the right length', async () => {
    const response = await create({ response_format: 'opus' });
    assert.match(response.headers.get('content-type') ?? '', /^audio\/ogg/);
    const decoder = new OggOpusDecoder();
    await decoder.ready;
    const decoded = await decoder.decodeFile(await bytesOf(response));
    decoder.free();
    assert.equal(decoded.sampleRate, 48000);
    const seconds = decoded.samplesDecoded / 48000;
    assert.ok(Math.abs(seconds - SECONDS) < 0.03, `${seconds} s`);
    assert.ok(rms(decoded.channelData[0]!) > 0.1, 'opus is silent');
  });

  it('gets flac, lossless to 16 bits at the model rate', async () => {
    const response = await create({ response_format: 'flac' });
    assert.equal(response.headers.get('content-type'), 'audio/flac');
    const decoder = new FLACDecoder();
    await decoder.ready;
    const decoded = await decoder.decodeFile(await bytesOf(response));
    decoder.free();
    assert.equal(decoded.sampleRate, RATE);
    assert.equal(decoded.samplesDecoded, Math.round(SECONDS * RATE));
    assert.ok(rms(decoded.channelData[0]!) > 0.1, 'flac is silent');
  });

  it('gets wav and raw 16-bit pcm carrying the same samples', async () => {
    const wav = decodeWav(await bytesOf(await create({ response_format: 'wav' })));
    assert.equal(wav.sampleRate, RATE);
    assert.equal(wav.samples.length, Math.round(SECONDS * RATE));
    const pcmResponse = await create({ response_format: 'pcm' });
    assert.equal(pcmResponse.headers.get('x-sample-rate'), String(RATE));
    const pcm = int16Samples(await bytesOf(pcmResponse));
    assert.deepEqual(pcm, wav.samples);
    assert.ok(rms(pcm) > 0.1, 'pcm is silent');
  });

  it('slows speech down with speed 0.5 to about twice the length', async () => {
    const pcm = int16Samples(await bytesOf(await create({ response_format: 'pcm', speed: 0.5 })));
    const seconds = pcm.length / RATE;
    assert.ok(Math.abs(seconds - 2 * SECONDS) < 0.05, `${seconds} s`);
    assert.ok(rms(pcm) > 0.1);
  });

  it('streams SSE speech.audio.delta events whose PCM equals the whole response', async () => {
    const whole = await bytesOf(await create({ response_format: 'pcm' }));
    const response = await create({ stream_format: 'sse' });
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = sseEvents(await response.text());
    const done = events.at(-1)!;
    assert.equal(done.type, 'speech.audio.done');
    assert.ok(events.slice(0, -1).every((e) => e.type === 'speech.audio.delta' && typeof e.audio === 'string'));
    const streamed = Buffer.concat(events.slice(0, -1).map((e) => Buffer.from(e.audio as string, 'base64')));
    assert.deepEqual(new Uint8Array(streamed), whole);
  });

  it('streams WAV with `stream: true` that decodes like the whole file', async () => {
    const whole = decodeWav(await bytesOf(await create({ response_format: 'wav' })));
    // `stream` is an extension field: the SDK sends what it is given.
    const params = { model: 'tone-tts', voice: 'alloy', input: INPUT, stream: true };
    const streamed = decodeWav(await bytesOf(await client.audio.speech.create(params)));
    assert.equal(streamed.sampleRate, RATE);
    assert.deepEqual(streamed.samples, whole.samples);
  });

  it('lists the TTS models and the OpenAI names mapped to them', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.ok(ids.includes('tone-tts'), ids.join(', '));
    const fixture = await client.models.retrieve('tone-tts');
    assert.equal(fixture.object, 'model');
  });

  it('raises UnprocessableEntityError naming the field for input over 4096 characters', async () => {
    await assert.rejects(create({ input: 'a'.repeat(4097) }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.UnprocessableEntityError, String(error));
      assert.equal(error.status, 422);
      assert.equal(error.param, 'input');
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.message, /4096/);
      return true;
    });
  });

  it('raises UnprocessableEntityError listing the formats for aac', async () => {
    await assert.rejects(create({ response_format: 'aac' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.UnprocessableEntityError, String(error));
      assert.equal(error.param, 'response_format');
      assert.match(error.message, /supported: mp3, opus, flac, wav, pcm/);
      return true;
    });
  });

  it('raises AuthenticationError for an unknown key and NotFoundError for an unknown model id', async () => {
    const stranger = new OpenAI({ apiKey: 'not-a-key-of-this-hub', baseURL: `${hub.url}/v1`, maxRetries: 0 });
    await assert.rejects(stranger.audio.speech.create({ model: 'tone-tts', voice: 'alloy', input: INPUT }), OpenAI.AuthenticationError);
    await assert.rejects(client.models.retrieve('no-such-model'), OpenAI.NotFoundError);
  });
});
