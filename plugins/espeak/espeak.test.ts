import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import type { TtsCapability } from '../../core/capabilities.ts';
import { makeTextToolkit } from '../../core/text/make-text-toolkit.ts';
import type { PluginRuntime } from '../../core/plugin/runtime.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { rateFor } from './speak.ts';
import { listVoices, resolveVoice, VOICE_LIST } from './voices.ts';

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

/** Share of 20 ms frames louder than -40 dBFS: speech has words and gaps, a tone or silence has not. */
function voicedShare(samples: Float32Array, sampleRate: number): number {
  const frame = Math.round(sampleRate * 0.02);
  let loud = 0;
  let frames = 0;
  for (let i = 0; i + frame <= samples.length; i += frame, frames++) if (rms(samples.subarray(i, i + frame)) > 0.01) loud++;
  return loud / frames;
}

/** Median fundamental frequency of the loud frames, by autocorrelation over 60–400 Hz. */
function medianPitch(samples: Float32Array, sampleRate: number): number {
  const frame = 1024;
  const pitches: number[] = [];
  for (let start = 0; start + frame <= samples.length; start += frame) {
    const x = samples.subarray(start, start + frame);
    if (rms(x) < 0.03) continue;
    let bestLag = 0;
    let best = 0;
    for (let lag = Math.floor(sampleRate / 400); lag <= Math.ceil(sampleRate / 60); lag++) {
      let sum = 0;
      for (let i = 0; i + lag < frame; i++) sum += x[i]! * x[i + lag]!;
      if (sum > best) [best, bestLag] = [sum, lag];
    }
    if (bestLag) pitches.push(sampleRate / bestLag);
  }
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)] ?? 0;
}

async function speech(hub: TestHub, fields: Record<string, string>): Promise<{ samples: Float32Array; sampleRate: number; res: Response }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await hub.call('/api/tts/espeak', { method: 'POST', body: form });
  assert.equal(res.status, 200, await res.clone().text());
  const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
  return { samples: wav.audioChannels[0]!, sampleRate: wav.sampleRate, res };
}

async function detail(res: Response): Promise<string> {
  return ((await res.json()) as { detail: string }).detail;
}

describe('the espeak plugin over HTTP', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  it('speaks English: 22.05 kHz WAV of plausible length, with words and gaps, not silence', async () => {
    const { samples, sampleRate, res } = await speech(hub, { text: 'The quick brown fox jumps over the lazy dog.' });
    assert.equal(sampleRate, 22050);
    assert.equal(res.headers.get('content-type'), 'audio/wav');
    assert.equal(res.headers.get('x-weight-state'), 'weight-free');
    const seconds = samples.length / sampleRate;
    assert.ok(seconds > 1.5 && seconds < 5, `duration ${seconds} s`);
    assert.ok(rms(samples) > 0.02, `rms ${rms(samples)}`);
    const share = voicedShare(samples, sampleRate);
    assert.ok(share > 0.4 && share < 0.98, `voiced share ${share}`);
  });

  it('speaks other languages by voice or by language', async () => {
    for (const fields of [{ text: 'Bonjour tout le monde.', voice: 'fr' }, { text: '你好，世界。', language: 'cmn' }, { text: 'Guten Tag.', voice: 'de+f2' }] as Record<string, string>[]) {
      const { samples, sampleRate } = await speech(hub, fields);
      assert.ok(samples.length / sampleRate > 0.4, JSON.stringify(fields));
      assert.ok(rms(samples) > 0.02, JSON.stringify(fields));
    }
  });

  it('speaks faster and slower with speed, beyond espeak\'s own range too', async () => {
    const text = 'Speech rate changes the length of this sentence.';
    const normal = (await speech(hub, { text })).samples.length;
    const fast = (await speech(hub, { text, speed: '2' })).samples.length;
    const slowest = (await speech(hub, { text, speed: '0.25' })).samples.length;
    assert.ok(fast / normal > 0.4 && fast / normal < 0.65, `fast/normal ${fast / normal}`);
    assert.ok(slowest / normal > 3, `slowest/normal ${slowest / normal}`);
  });

  it('raises the voice with pitch', async () => {
    const text = 'A low voice and a high voice.';
    const low = await speech(hub, { text, pitch: '10' });
    const high = await speech(hub, { text, pitch: '90' });
    const [lowHz, highHz] = [medianPitch(low.samples, low.sampleRate), medianPitch(high.samples, high.sampleRate)];
    assert.ok(highHz > lowHz * 1.3, `low ${lowHz} Hz, high ${highHz} Hz`);
  });

  it('gives the female variants a higher voice than the default', async () => {
    const text = 'Which voice is this?';
    const male = await speech(hub, { text, voice: 'en-us' });
    const female = await speech(hub, { text, voice: 'alloy' });
    assert.ok(medianPitch(female.samples, female.sampleRate) > medianPitch(male.samples, male.sampleRate) * 1.3);
  });

  it('encodes other response formats', async () => {
    const form = new FormData();
    form.set('text', 'Compressed.');
    form.set('response_format', 'mp3');
    const res = await hub.call('/api/tts/espeak', { method: 'POST', body: form });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'audio/mpeg');
    assert.ok((await res.arrayBuffer()).byteLength > 500);
  });

  it('answers an unknown voice, language or variant with a 400 naming the field', async () => {
    for (const [fields, pattern] of [
      [{ text: 'hi', voice: 'klingon' }, /^voice: unknown voice 'klingon'/],
      [{ text: 'hi', language: 'xx-nowhere' }, /^language: 'xx-nowhere' has no espeak voice/],
      [{ text: 'hi', voice: 'en-us+nosuch' }, /^voice: unknown espeak variant 'nosuch'/],
    ] as const) {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      const res = await hub.call('/api/tts/espeak', { method: 'POST', body: form });
      assert.equal(res.status, 400);
      assert.match(await detail(res), pattern);
    }
  });

  it('answers text with nothing to speak with a 400', async () => {
    const form = new FormData();
    form.set('text', '...');
    const res = await hub.call('/api/tts/espeak', { method: 'POST', body: form });
    assert.equal(res.status, 400);
    assert.match(await detail(res), /^text: has nothing espeak can speak/);
  });

  it('phonemizes with the shared phonemizer and refuses Japanese with a 400', async () => {
    const ok = await hub.call('/api/text/phonemize', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '你好', language: 'zh' }) });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { language: 'zh', phones: 'n|i↑|x|ɑʊ↓↑|', tokens: ['n', 'i↑', 'x', 'ɑʊ↓↑'] });
    const ja = await hub.call('/api/text/phonemize', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'こんにちは', language: 'ja' }) });
    assert.equal(ja.status, 400);
    assert.match(await detail(ja), /^language: 'ja' is not supported yet/);
  });

  it('offers a tts capability that other parts of the hub call', async () => {
    const runtime = hub.container.resolve<PluginRuntime>('runtime');
    const provider = runtime.find<TtsCapability>('tts', 'espeak');
    assert.ok(provider);
    await provider.ready();
    const ctx = provider.context({ signal: new AbortController().signal, requestId: 'test' });
    const result = await provider.capability.synthesize({ text: 'Hello there.', voice: 'nova', speed: 1.5 }, ctx);
    assert.equal(result.sampleRate, 22050);
    assert.ok(result.audio.length > 0.3 * 22050);
    const voices = await provider.capability.voices();
    assert.equal(voices[0]!.id, 'en-us');
    assert.ok(provider.capability.supports?.includes('speed'));
  });
});

describe('espeak voices', () => {
  it('lists the default first, then every OpenAI name, then the languages', () => {
    const ids = listVoices().map((v) => v.id);
    assert.equal(ids[0], 'en-us');
    for (const name of ['alloy', 'echo', 'fable', 'onyx', 'nova', 'shimmer']) assert.ok(ids.includes(name), name);
    for (const code of ['fr-fr', 'de', 'cmn', 'ja', 'es']) assert.ok(ids.includes(code), code);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  });

  it('resolves voices, variants, identifiers and languages to espeak voices', () => {
    assert.deepEqual(resolveVoice({}), { espeakVoice: 'gmw/en-US', language: 'en-us' });
    assert.deepEqual(resolveVoice({ language: 'fr' }), { espeakVoice: 'roa/fr', language: 'fr' });
    assert.deepEqual(resolveVoice({ voice: 'en-gb+m1' }), { espeakVoice: 'gmw/en+m1', language: 'en-gb' });
    assert.deepEqual(resolveVoice({ voice: 'f3', language: 'de' }), { espeakVoice: 'gmw/de+f3', language: 'de' });
    assert.deepEqual(resolveVoice({ voice: 'gmw/en-US' }), { espeakVoice: 'gmw/en-US', language: 'en-us' });
    assert.deepEqual(resolveVoice({ voice: 'Onyx' }), { espeakVoice: 'gmw/en-US+m7', language: 'en-us' });
  });

  it('maps speed onto espeak\'s rate and stretches only past its range', () => {
    const rate = { min: 80, normal: 175, max: 450 };
    assert.deepEqual(rateFor(1, rate), { wordsPerMinute: 175, stretch: 1 });
    assert.deepEqual(rateFor(2, rate), { wordsPerMinute: 350, stretch: 1 });
    assert.equal(rateFor(4, rate).wordsPerMinute, 450);
    assert.ok(Math.abs(rateFor(4, rate).stretch - 700 / 450) < 1e-9);
    assert.ok(Math.abs(rateFor(0.25, rate).stretch - 43.75 / 80) < 1e-9);
  });

  it('matches the espeak build (regenerate with plugins/espeak/write-voice-list.ts)', async () => {
    const text = makeTextToolkit();
    try {
      const voices = (await text.espeak.voices()).map((v) => ({ identifier: v.identifier, name: v.name, languages: [...v.languages] }));
      assert.deepEqual(voices, VOICE_LIST.voices);
      assert.deepEqual([...(await text.espeak.variants())].sort(), VOICE_LIST.variants);
    } finally {
      await text.close();
    }
  });
});
