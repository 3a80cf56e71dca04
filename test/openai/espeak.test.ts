// The README's promise on a hub with nothing but its defaults: `{"input":"Hello"}` with the
// development key gives real speech from espeak, through curl-style calls and the SDK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MPEGDecoder } from 'mpg123-decoder';
import OpenAI from 'openai';
import { startTestHub, type TestHub } from '../support/test-hub.ts';
import { decodeWav, DEV_KEY, int16Samples, rms, speak, sseEvents } from './support.ts';

describe('speech from espeak on the default configuration', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  it('answers {"input":"Hello"} with the dev key as Bearer with mp3 speech', async () => {
    const res = await speak(hub, { input: 'Hello' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'audio/mpeg');
    assert.equal(res.headers.get('x-model'), 'espeak');
    const decoder = new MPEGDecoder();
    await decoder.ready;
    const decoded = decoder.decode(new Uint8Array(await res.arrayBuffer()));
    decoder.free();
    const seconds = decoded.samplesDecoded / decoded.sampleRate;
    assert.ok(seconds > 0.25 && seconds < 3, `${seconds} s`);
    assert.ok(rms(decoded.channelData[0]!) > 0.01, 'silent');
  });

  it('speaks through the SDK as tts-1 with an OpenAI voice name, and faster at speed 2', async () => {
    const client = new OpenAI({ apiKey: DEV_KEY, baseURL: `${hub.url}/v1`, maxRetries: 0 });
    const input = 'The quick brown fox jumps over the lazy dog.';
    const normal = decodeWav(new Uint8Array(await (await client.audio.speech.create({ model: 'tts-1', voice: 'onyx', input, response_format: 'wav' })).arrayBuffer()));
    const fast = decodeWav(new Uint8Array(await (await client.audio.speech.create({ model: 'tts-1', voice: 'onyx', input, response_format: 'wav', speed: 2 })).arrayBuffer()));
    assert.equal(normal.sampleRate, 22050);
    assert.ok(normal.samples.length / normal.sampleRate > 1.5, 'a sentence takes over 1.5 s');
    assert.ok(rms(normal.samples) > 0.01);
    const ratio = fast.samples.length / normal.samples.length;
    assert.ok(ratio > 0.35 && ratio < 0.65, `speed 2 gives ${ratio} of the length`);
  });

  it('streams espeak as a WAV that an independent decoder reads', async () => {
    const res = await speak(hub, { input: 'First sentence here. And a second one follows it.' }, { path: '/v1/audio/speech/stream' });
    assert.equal(res.status, 200);
    const wav = decodeWav(new Uint8Array(await res.arrayBuffer()));
    assert.equal(wav.sampleRate, 22050);
    assert.ok(wav.samples.length / wav.sampleRate > 1.5);
    assert.ok(rms(wav.samples) > 0.01);
  });

  it('delivers pcm at 24 kHz (resampled from 22 050 Hz), whole, streamed and as SSE, and keeps the model rate in wav', async () => {
    const body = { input: 'First sentence here. And a second one follows it.', chunk_length: 100, cache: false };
    const wavRes = await speak(hub, { ...body, response_format: 'wav' });
    assert.equal(wavRes.headers.get('x-sample-rate'), '22050');
    const wav = decodeWav(new Uint8Array(await wavRes.arrayBuffer()));
    assert.equal(wav.sampleRate, 22050);

    const pcmRes = await speak(hub, { ...body, response_format: 'pcm' });
    assert.equal(pcmRes.status, 200);
    assert.equal(pcmRes.headers.get('x-sample-rate'), '24000');
    const pcm = int16Samples(new Uint8Array(await pcmRes.arrayBuffer()));
    // Same speech, same duration: 24000/22050 (1.088) as many samples; espeak's own length
    // varies a little from call to call, far less than the 9 % a missing resample would leave.
    const ratio = pcm.length / wav.samples.length;
    assert.ok(Math.abs(ratio - 24000 / 22050) < 0.01, `${pcm.length} samples at 24 kHz for ${wav.samples.length} at 22.05 kHz`);
    assert.ok(Math.abs(rms(pcm) / rms(wav.samples) - 1) < 0.05, 'the level is kept');

    // espeak's output varies a little from call to call, so streams are held to the whole
    // answer's length, not its bytes (tone-tts proves byte equality in stream.test.ts).
    const streamed = await speak(hub, { ...body, response_format: 'pcm' }, { path: '/v1/audio/speech/stream' });
    assert.equal(streamed.headers.get('x-sample-rate'), '24000');
    assert.ok(Math.abs(int16Samples(new Uint8Array(await streamed.arrayBuffer())).length / pcm.length - 1) < 0.01);

    const sse = await speak(hub, { ...body, stream_format: 'sse' });
    assert.equal(sse.headers.get('x-sample-rate'), '24000');
    const deltas = sseEvents(await sse.text()).filter((e) => e.type === 'speech.audio.delta');
    const sseBytes = new Uint8Array(Buffer.concat(deltas.map((e) => Buffer.from(e.audio as string, 'base64'))));
    assert.ok(Math.abs(int16Samples(sseBytes).length / pcm.length - 1) < 0.01);
  });

  it("lists espeak's voices with OpenAI's names among them", async () => {
    const voices = (await (await hub.call('/v1/voices')).json()) as { data: { id: string }[]; default: string; model: string };
    assert.equal(voices.model, 'espeak');
    assert.equal(voices.default, 'en-us');
    const ids = voices.data.map((v) => v.id);
    for (const id of ['alloy', 'onyx', 'fr-fr', 'cmn']) assert.ok(ids.includes(id), id);
  });

  it('refuses a reference voice for espeak, which cannot clone', async () => {
    const form = new FormData();
    form.set('input', 'Clone me.');
    form.set('custom_voice_file', new Blob([await (await speak(hub, { input: 'Sample', response_format: 'wav' })).arrayBuffer()]), 'me.wav');
    const res = await hub.call('/v1/audio/speech', { method: 'POST', body: form });
    assert.equal(res.status, 400);
    const { error } = (await res.json()) as { error: { param: string; message: string } };
    assert.equal(error.param, 'custom_voice_file');
    assert.match(error.message, /cannot clone/);
  });
});
