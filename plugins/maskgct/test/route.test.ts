// POST /api/tts/maskgct end to end over HTTP on smoke graphs: the real hub, the real
// phonemizer, audio toolkit and onnxruntime sessions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { makeLogger } from '../../../core/log/logger.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';
import { kaldiFrameCount } from '../../w2v-bert/front-end.ts';
import { MASKGCT } from '../settings.ts';
import { calls as asrCalls, HEARD, script } from './fixtures/asr-fixture/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-maskgct.json');
const REGISTRY_WITH_ASR = join(import.meta.dirname, 'fixtures', 'registry-maskgct-asr.json');

/** What the hub logged, parsed: the T2S stage logs the phone ids it feeds its graph. */
type LogLine = Record<string, unknown>;

async function startWith(registry: string, lines?: LogLine[]): Promise<TestHub> {
  const logger = lines ? makeLogger({ level: 'debug', write: (line) => void lines.push(JSON.parse(line) as LogLine) }) : undefined;
  const hub = await startTestHub({ registry }, undefined, logger ? { logger } : {});
  await installSmokeGraphs(hub.dataDir, await loadPlugins(registry, ROOT));
  return hub;
}

/**
 * Phone ids Amphion's G2P gives each text, with its vocab.json, from
 * scripts/reference/maskgct-phone-ids.py (the command to regenerate is in its docstring).
 */
const AMPHION = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'phone-ids.json'), 'utf8')) as {
  cases: { language: string; text: string; phones: string; ids: number[] }[];
  vocab: Record<string, number>;
};

function amphionIds(language: string, text: string): number[] {
  const found = AMPHION.cases.find((c) => c.language === language && c.text === text);
  assert.ok(found, `no reference ids for ${language} "${text}": add it to scripts/reference/maskgct-phone-ids.py`);
  return found.ids;
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
  const logged: LogLine[] = [];
  before(async () => {
    hub = await startWith(REGISTRY, logged);
    // Amphion's phone table in place of the smoke state's hashed stand-in
    await writeFile(join(hub.dataDir, 'models', 'maskgct', MASKGCT.phoneVocabFile), JSON.stringify({ vocab: AMPHION.vocab }));
  });
  after(() => hub.stop());

  /** Synthesises and returns the phone ids the T2S graph was fed (reference phones, then target phones). */
  async function phonesFedToT2s(fields: Record<string, string | number>): Promise<number[]> {
    const from = logged.length;
    const { res, text } = await synthesize(hub, form(fields));
    assert.equal(res.status, 200, `${fields.language}: ${text()}`);
    const fed = logged.slice(from).filter((l) => l.msg === 'maskgct stage inputs' && l.stage === 't2s');
    assert.equal(fed.length, 1, 'one T2S stage per request');
    return fed[0]!.phone_ids as number[];
  }

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

  // The reference text is phonemized in the request's language, as Amphion's
  // maskgct_inference does with one language for prompt and target.
  it('speaks English: T2S gets the phone ids of Amphion\'s G2P', async () => {
    const fed = await phonesFedToT2s({ ...BASE, language: 'en' });
    assert.deepEqual(fed, [...amphionIds('en', BASE.reference_text), ...amphionIds('en', BASE.text)]);
  });

  it('speaks Mandarin, and mixed Mandarin and English: T2S gets the phone ids of Amphion\'s G2P', async () => {
    for (const text of ['你好，欢迎使用。', '我们用 MaskGCT 合成语音。']) {
      const fed = await phonesFedToT2s({ ...BASE, text, language: 'zh' });
      assert.deepEqual(fed, [...amphionIds('zh', BASE.reference_text), ...amphionIds('zh', text)], text);
    }
  });

  it('speaks French, German and Korean: T2S gets the phone ids of Amphion\'s G2P', async () => {
    for (const [language, text] of [['fr', 'Bonjour à tous.'], ['de', 'Guten Morgen.'], ['ko', '안녕하세요.']] as const) {
      const fed = await phonesFedToT2s({ ...BASE, text, language });
      assert.deepEqual(fed, [...amphionIds(language, BASE.reference_text), ...amphionIds(language, text)], language);
    }
  });

  it('asks for reference_text when no speech recognition model is installed', async () => {
    const { reference_text: _, ...rest } = BASE;
    const { res, text } = await synthesize(hub, form(rest));
    assert.equal(res.status, 422);
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
    assert.equal(res.status, 422);
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
