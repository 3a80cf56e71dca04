import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import type { AsrCapability, TtsCapability } from '../../core/capabilities.ts';
import type { GraphHandle, TensorData } from '../../core/onnx/graph-handle.ts';
import { smokeGraphBytes } from '../../core/onnx/smoke-graph.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { PluginRuntime } from '../../core/plugin/runtime.ts';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import type { GraphContract } from '../../core/plugin/types.ts';
import { installSmokeGraphs } from '../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../test/support/test-hub.ts';
import { whisperGraphs } from './contracts.ts';
import { decodeOnce } from './decode-loop.ts';
import { encodeWindow, openDecoderSession } from './graph-session.ts';
import { WHISPER_LANGUAGES } from './languages.ts';
import { PRESETS } from './presets.ts';
import { scriptedDecoderBytes } from './scripted-decoder.ts';
import { startSequence } from './special-tokens.ts';
import { transcribe } from './transcribe.ts';
import { whisperVocabulary } from './whisper-tokenizer.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CODES = WHISPER_LANGUAGES.map(([code]) => code);

interface TranscriptBody {
  text: string;
  duration: number;
  language: string;
  segments: { id: number; start: number; end: number; text: string }[];
}

function checkTranscript(body: TranscriptBody, duration: number): void {
  assert.equal(typeof body.text, 'string');
  assert.ok(Math.abs(body.duration - duration) < 0.01, `duration ${body.duration}`);
  let previous = 0;
  for (const s of body.segments) {
    assert.ok(s.start >= 0 && s.start <= s.end && s.end <= duration, `segment ${JSON.stringify(s)}`);
    assert.ok(s.start >= previous - 30, 'segments follow the windows');
    previous = s.start;
  }
}

async function transcribeOverHttp(hub: TestHub, fields: Record<string, string>, seconds = 1, field = 'file'): Promise<Response> {
  const form = new FormData();
  form.set(field, wavBlobFor({ seconds, sampleRate: 16000, frequency: 300 }), 'speech.wav');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return hub.call('/api/transcribe', { method: 'POST', body: form });
}

/** A graph handle on a session of our own (no worker), for graphs the hub does not hold. */
async function directHandle(name: string, contract: GraphContract, bytes: Uint8Array, seen?: TensorData[][]): Promise<GraphHandle> {
  const session = await ort.InferenceSession.create(bytes);
  return {
    name,
    contract,
    async run(feeds) {
      seen?.push(Object.values(feeds));
      const inputs = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.type as 'float32', t.data as Float32Array, [...t.dims])]));
      const outputs = await session.run(inputs);
      return Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, { type: t.type as TensorData['type'], data: t.data as Float32Array, dims: [...t.dims] }]));
    },
  };
}

describe('the whisper plugin on smoke graphs', () => {
  let hub: TestHub;
  let runtime: PluginRuntime;
  before(async () => {
    hub = await startTestHub();
    const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
    await installSmokeGraphs(hub.dataDir, plugins.filter((p) => p.decl.name === 'whisper'));
    runtime = hub.container.resolve<PluginRuntime>('runtime');
  });
  after(() => hub.stop());

  it('answers POST /api/transcribe with text, duration, the requested language and segments', async () => {
    const res = await transcribeOverHttp(hub, { language: 'fr' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    const body = (await res.json()) as TranscriptBody;
    assert.equal(body.language, 'fr');
    checkTranscript(body, 1);
  });

  it('detects the language when none is sent, and takes the upload under its alias `audio`', async () => {
    const res = await transcribeOverHttp(hub, {}, 1, 'audio');
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as TranscriptBody;
    assert.ok(CODES.includes(body.language), body.language);
  });

  it('walks long audio in 30 s windows', async () => {
    const res = await transcribeOverHttp(hub, { language: 'en' }, 35);
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as TranscriptBody;
    checkTranscript(body, 35);
    assert.ok(body.segments.some((s) => s.start >= 30), 'a segment from the second window');
  });

  it('answers a language Whisper does not know with a 400 naming the field', async () => {
    const res = await transcribeOverHttp(hub, { language: 'klingon' });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { detail: string }).detail, /^language: 'klingon' is not a language this Whisper model transcribes/);
  });

  it('documents the route in OpenAPI as a multipart upload with an optional language', async () => {
    const doc = (await (await hub.call('/api/openapi.json', { key: null })).json()) as Record<string, any>;
    const body = doc.paths['/api/transcribe'].post.requestBody.content['multipart/form-data'].schema;
    assert.equal(body.properties.file.format, 'binary');
    assert.ok(body.properties.language, 'language field');
    assert.ok(body.required.includes('file'), 'file is required');
  });

  it('takes condition_on_previous_text and initial_prompt, and refuses a non-boolean with a 400 naming the field', async () => {
    const ok = await transcribeOverHttp(hub, { language: 'en', condition_on_previous_text: 'false', initial_prompt: 'Hello, Dr. Smith.' });
    assert.equal(ok.status, 200, await ok.clone().text());
    const bad = await transcribeOverHttp(hub, { condition_on_previous_text: 'maybe' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(await bad.json()), /condition_on_previous_text/);
    const doc = (await (await hub.call('/api/openapi.json', { key: null })).json()) as Record<string, any>;
    const fields = doc.paths['/api/transcribe'].post.requestBody.content['multipart/form-data'].schema.properties;
    assert.equal(fields.condition_on_previous_text!.default, true);
    assert.ok(fields.initial_prompt);
  });

  it('offers an asr capability that takes any sample rate', async () => {
    const provider = runtime.find<AsrCapability>('asr', 'whisper');
    assert.ok(provider, 'asr provider');
    await provider.ready();
    const ctx = provider.context({ signal: new AbortController().signal, requestId: 'test' });
    const samples = new Float32Array(24000).map((_, i) => 0.3 * Math.sin(i / 10));
    const result = await provider.capability.transcribe({ samples, sampleRate: 24000, language: 'de' }, ctx);
    assert.equal(typeof result.text, 'string');
    assert.equal(result.language, 'de');
  });

  describe('with a scripted decoder graph in onnxruntime', () => {
    const preset = PRESETS.base;
    const graphs = whisperGraphs(preset);
    let ctx: HandlerContext;
    let fed: TensorData[][];
    before(async () => {
      const base = runtime.contextFor('whisper', { signal: new AbortController().signal, requestId: 'scripted' });
      const { tokens } = await whisperVocabulary(base, preset);
      fed = [];
      ctx = {
        ...base,
        graphs: {
          encoder: await directHandle('encoder', graphs.encoder, smokeGraphBytes(graphs.encoder, { plugin: 'whisper', graph: 'encoder' })),
          decoder: await directHandle('decoder', graphs.decoder, scriptedDecoderBytes(graphs.decoder, { firstText: 1000, endAt: 8, eot: tokens.eot, vocab: preset.vocab }), fed),
        },
      };
    });

    it('stops at <|endoftext|>, feeding the requested language first', async () => {
      const vocabulary = await whisperVocabulary(ctx, preset);
      const encoded = await encodeWindow(ctx, preset, new Float32Array(preset.nMels * 3000));
      fed.length = 0;
      const settings = { tokens: vocabulary.tokens, prompt: startSequence(vocabulary.tokens, 'zh', true), maxNewTokens: 224, timestamps: true, suppressed: vocabulary.suppressed, blank: vocabulary.blank };
      const result = await decodeOnce(openDecoderSession(ctx, preset, encoded), settings, 0);
      // Position 2 (after <|transcribe|>) must open with a timestamp; positions 3…7 give text; 8 gives the end.
      assert.equal(result.ended, true);
      assert.deepEqual(result.tokens, [vocabulary.tokens.timestampBegin, 1003, 1004, 1005, 1006, 1007]);
      const firstTokens = [...(fed[0]![0]!.data as BigInt64Array)].map(Number);
      assert.deepEqual(firstTokens, [vocabulary.tokens.sot, vocabulary.tokens.languages.get('zh'), vocabulary.tokens.transcribe]);
      const offsets = fed.map((feeds) => Number((feeds.at(-1)!.data as BigInt64Array)[0]));
      assert.deepEqual(offsets, [0, 3, 4, 5, 6, 7, 8]);
    });

    it('respects the token budget', async () => {
      const vocabulary = await whisperVocabulary(ctx, preset);
      const encoded = await encodeWindow(ctx, preset, new Float32Array(preset.nMels * 3000));
      const settings = { tokens: vocabulary.tokens, prompt: startSequence(vocabulary.tokens, 'en', false), maxNewTokens: 3, timestamps: false, suppressed: vocabulary.suppressed, blank: vocabulary.blank };
      const result = await decodeOnce(openDecoderSession(ctx, preset, encoded), settings, 0);
      assert.deepEqual(result.tokens, [1003, 1004, 1005]);
      assert.equal(result.ended, false);
    });

    it('transcribes end to end into one segment with the scripted text', async () => {
      const transcript = await transcribe(new Float32Array(16000 * 2), preset, { language: 'en', maxNewTokens: 224 }, ctx);
      const vocabulary = await whisperVocabulary(ctx, preset);
      assert.equal(transcript.language, 'en');
      assert.equal(transcript.text, vocabulary.text([1003, 1004, 1005, 1006, 1007]).trim());
      assert.equal(transcript.segments.length, 1);
      assert.deepEqual([transcript.segments[0]!.start, transcript.segments[0]!.end], [0, 2]);
    });

    /** The prompt (first feed) of every decode, in order. */
    const prompts = () => fed.map((feeds) => [...(feeds[0]!.data as BigInt64Array)].map(Number)).filter((tokens) => tokens.length > 1);
    const once = { temperatures: [0], compressionRatioThreshold: 2.4, logprobThreshold: -Infinity, noSpeechThreshold: 1 };

    it("conditions each window on the initial prompt and the text before it, after <|startofprev|> (Whisper's default)", async () => {
      const vocabulary = await whisperVocabulary(ctx, preset);
      const t = vocabulary.tokens;
      const start = [t.sot, t.languages.get('en')!, t.transcribe!];
      fed.length = 0;
      const transcript = await transcribe(new Float32Array(16000 * 35), preset, { language: 'en', maxNewTokens: 6, fallback: once, initialPrompt: '  a ' }, ctx);
      // (short: the scripted decoder writes text only up to position 8)
      const initial = vocabulary.tokenizer.encode(' a', { addSpecialTokens: false });
      const [first, second] = prompts();
      assert.deepEqual(first, [t.sotPrev, ...initial, ...start]);
      // the second window: the initial prompt, then the first window's segment tokens
      assert.deepEqual(second!.slice(0, 1 + initial.length), [t.sotPrev, ...initial]);
      assert.deepEqual(second!.slice(-3), start);
      const previous = second!.slice(1 + initial.length, -3);
      assert.ok(previous.length > 0 && previous[0]! >= t.timestampBegin, 'the segment with its timestamps');
      assert.equal(vocabulary.text(previous), transcript.segments[0]!.text);
    });

    it('decodes windows independently with condition_on_previous_text false', async () => {
      const vocabulary = await whisperVocabulary(ctx, preset);
      const t = vocabulary.tokens;
      fed.length = 0;
      await transcribe(new Float32Array(16000 * 35), preset, { language: 'en', maxNewTokens: 6, fallback: once, conditionOnPreviousText: false, initialPrompt: 'hello' }, ctx);
      const [first, second] = prompts();
      assert.deepEqual(first!.slice(0, 1), [t.sotPrev], 'the initial prompt still opens the first window');
      assert.deepEqual(second, [t.sot, t.languages.get('en')!, t.transcribe!]);
    });
  });
});

// Real weights are never downloaded by tests: point WHISPER_WEIGHTS at a folder holding
// encoder.onnx, decoder.onnx and tokenizer.json (or install them into data/models/whisper).
const WEIGHTS = process.env.WHISPER_WEIGHTS ?? join(ROOT, 'data', 'models', 'whisper');
const WEIGHT_FILES = ['encoder.onnx', 'decoder.onnx', 'tokenizer.json'];
const haveWeights = WEIGHT_FILES.every((f) => existsSync(join(WEIGHTS, f)));

describe('whisper with real weights', { skip: haveWeights ? false : `no Whisper weights in ${WEIGHTS}` }, () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
    await mkdir(join(hub.dataDir, 'models', 'whisper'), { recursive: true });
    for (const file of WEIGHT_FILES) await symlink(join(WEIGHTS, file), join(hub.dataDir, 'models', 'whisper', file));
  });
  after(() => hub.stop());

  it('hears what espeak says (round trip)', async () => {
    const runtime = hub.container.resolve<PluginRuntime>('runtime');
    assert.equal(runtime.weightState('whisper'), 'unverified', 'the registry pins no sha256 for the Whisper files yet');
    const tts = runtime.find<TtsCapability>('tts', 'espeak')!;
    const asr = runtime.find<AsrCapability>('asr', 'whisper')!;
    await Promise.all([tts.ready(), asr.ready()]);
    const base = { signal: new AbortController().signal, requestId: 'round-trip' };
    const spoken = await tts.capability.synthesize({ text: 'The weather is nice today.', voice: 'en-us' }, tts.context(base));
    const heard = await asr.capability.transcribe({ samples: spoken.audio, sampleRate: spoken.sampleRate, language: 'en' }, asr.context(base));
    assert.match(heard.text.toLowerCase(), /weather/);
  });
});
