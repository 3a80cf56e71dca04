// POST /api/tts/maskgct end to end over HTTP on smoke graphs: the real hub, the real
// phonemizer, audio toolkit and onnxruntime sessions.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';
import { kaldiFrameCount } from '../../w2v-bert/front-end.ts';
import { calls as asrCalls, HEARD, script } from './fixtures/asr-fixture/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-maskgct.json');
const REGISTRY_WITH_ASR = join(import.meta.dirname, 'fixtures', 'registry-maskgct-asr.json');

async function startWith(registry: string): Promise<TestHub> {
  const hub = await startTestHub({ registry });
  await installSmokeGraphs(hub.dataDir, await loadPlugins(registry, ROOT));
  return hub;
}

function form(fields: Record<string, string | number>, options: { upload?: string; seconds?: number } = {}): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  body.set(options.upload ?? 'reference_audio', wavBlobFor({ seconds: options.seconds ?? 1, sampleRate: 24000, frequency: 180 }), 'reference.wav');
  return body;
}

const BASE = { text: 'Hello from the hub.', reference_text: 'This is the reference voice.', n_timesteps: 2, target_duration: 0.5, seed: 7 };

/** S2A generates len(semantic) − len(acoustic prompt) frames: a 1 s clip has 49 semantic and 50 acoustic frames. */
function expectedSeconds(referenceSeconds: number, targetSeconds: number): number {
  const semantic = Math.ceil(kaldiFrameCount(referenceSeconds * 16000) / 2);
  const acoustic = Math.floor((referenceSeconds * 24000) / 480);
  return ((semantic + Math.trunc(targetSeconds * 50) - acoustic) * 480) / 24000;
}

async function synthesize(hub: TestHub, body: FormData) {
  const res = await hub.call('/api/tts/maskgct', { method: 'POST', body });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes, text: () => new TextDecoder().decode(bytes) };
}

describe('POST /api/tts/maskgct on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startWith(REGISTRY);
  });
  after(() => hub.stop());

  it('answers 24 kHz audio of the requested length, with the seed and the smoke state in headers', async () => {
    const { res, bytes, text } = await synthesize(hub, form(BASE));
    assert.equal(res.status, 200, text());
    assert.equal(res.headers.get('content-type'), 'audio/wav');
    assert.equal(res.headers.get('x-seed'), '7');
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    const wav = decodeWaveToFloat32Channels(bytes);
    assert.equal(wav.sampleRate, 24000);
    assert.equal(wav.audioChannels[0]!.length / 24000, expectedSeconds(1, 0.5));
  });

  it('gives the same audio for the same seed and other audio for another seed', async () => {
    const a = await synthesize(hub, form({ ...BASE, seed: 11 }));
    const b = await synthesize(hub, form({ ...BASE, seed: 11 }));
    const c = await synthesize(hub, form({ ...BASE, seed: 12 }));
    assert.equal(a.res.status, 200, a.text());
    assert.deepEqual(b.bytes, a.bytes);
    assert.notDeepEqual(c.bytes, a.bytes);
  });

  it('picks a seed when none is given and reports it', async () => {
    const { seed: _, ...noSeed } = BASE;
    const { res } = await synthesize(hub, form(noSeed));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('x-seed') ?? '', /^\d+$/);
  });

  it('accepts the field names of the existing implementation: audio, target_language, target_len', async () => {
    const { target_duration: _, ...rest } = BASE;
    const { res, bytes, text } = await synthesize(hub, form({ ...rest, target_language: 'en', target_len: 0.3 }, { upload: 'audio' }));
    assert.equal(res.status, 200, text());
    assert.equal(decodeWaveToFloat32Channels(bytes).audioChannels[0]!.length / 24000, expectedSeconds(1, 0.3));
  });

  it('estimates the target length from the phone counts when none is given', async () => {
    const { target_duration: _, ...rest } = BASE;
    const { res, text } = await synthesize(hub, form(rest));
    assert.equal(res.status, 200, text());
    const seconds = Number(res.headers.get('x-audio-duration'));
    assert.ok(seconds > 0 && seconds <= 40, String(seconds));
  });

  it('speaks Mandarin, and mixed Mandarin and English', async () => {
    for (const text of ['你好，欢迎使用。', '我们用 MaskGCT 合成语音。']) {
      const { res, text: body } = await synthesize(hub, form({ ...BASE, text, language: 'zh' }));
      assert.equal(res.status, 200, body());
    }
  });

  it('speaks French, German and Korean', async () => {
    for (const [language, text] of [['fr', 'Bonjour à tous.'], ['de', 'Guten Morgen.'], ['ko', '안녕하세요.']] as const) {
      const { res, text: body } = await synthesize(hub, form({ ...BASE, text, language }));
      assert.equal(res.status, 200, `${language}: ${body()}`);
    }
  });

  it('asks for reference_text when no speech recognition model is installed', async () => {
    const { reference_text: _, ...rest } = BASE;
    const { res, text } = await synthesize(hub, form(rest));
    assert.equal(res.status, 400);
    assert.match(JSON.parse(text()).detail, /^reference_text: is required: no speech recognition model/);
  });

  it('refuses a reference clip too short to encode', async () => {
    const { res, text } = await synthesize(hub, form(BASE, { seconds: 0.3 }));
    assert.equal(res.status, 400);
    assert.match(JSON.parse(text()).detail, /^reference_audio: is 0\.30 s long/);
  });

  it('documents each aliased field once, under its own name', async () => {
    const doc = (await (await hub.call('/api/openapi.json')).json()) as any;
    const schema = doc.paths['/api/tts/maskgct'].post.requestBody.content['multipart/form-data'].schema;
    const names = Object.keys(schema.properties);
    for (const name of ['text', 'language', 'target_duration', 'reference_audio']) assert.ok(names.includes(name), name);
    for (const alias of ['audio', 'target_language', 'target_len']) assert.ok(!names.includes(alias), alias);
  });

  it('refuses Japanese, which the front end cannot read yet, naming the field', async () => {
    const { res, text } = await synthesize(hub, form({ ...BASE, language: 'ja' }));
    assert.equal(res.status, 400);
    assert.match(JSON.parse(text()).detail, /^language: must be one of: en, zh, fr, de, ko/);
  });
});

describe('POST /api/tts/maskgct with a speech recognition model installed', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startWith(REGISTRY_WITH_ASR);
  });
  after(() => hub.stop());

  it('transcribes the 16 kHz reference when reference_text is absent', async () => {
    asrCalls.length = 0;
    const { reference_text: _, ...rest } = BASE;
    const { res, text } = await synthesize(hub, form(rest));
    assert.equal(res.status, 200, text());
    assert.deepEqual(asrCalls, [{ samples: 16000, sampleRate: 16000 }]);
  });

  it('asks for reference_text when the transcript has nothing to pronounce, quoting it', async () => {
    script.text = '\u0005';
    try {
      const { reference_text: _, ...rest } = BASE;
      const { res, text } = await synthesize(hub, form(rest));
      assert.equal(res.status, 400);
      assert.equal(JSON.parse(text()).detail, `reference_text: is required: 'asr-fixture' transcribed reference_audio as "\\u0005", which has no pronounceable text`);
    } finally {
      script.text = HEARD;
    }
  });

  it('uses the client\'s reference_text and does not transcribe when it is given', async () => {
    asrCalls.length = 0;
    const { res } = await synthesize(hub, form(BASE));
    assert.equal(res.status, 200);
    assert.deepEqual(asrCalls, []);
  });
});
