// POST /api/svc/vevosing end to end over HTTP on smoke graphs: the real hub, audio toolkit (F0,
// chromagram, pitch shift), phonemizer and onnxruntime sessions, the AR and FM loops in the ONNX
// worker. Frame counts follow vevosing_utils.py: a 1 s clip has 50 mel/feature frames and
// ceil(50/4) = 13 content-style tokens; fm_cond gives 4 condition frames per token.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import type { VoiceConversionCapability } from '../../../core/capabilities.ts';
import type { PluginRuntime } from '../../../core/plugin/runtime.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';
import { sine, wavBytes } from '../../../test/support/wav.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-vevosing.json');

type Clip = number | Blob;
const clipBlob = (clip: Clip, frequency: number) => (typeof clip === 'number' ? wavBlobFor({ seconds: clip, sampleRate: 24000, frequency }) : clip);

function form(fields: Record<string, string | number | boolean>, content: Clip, reference: Clip, frequencies = { content: 220, reference: 220 }): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  body.set('content_audio', clipBlob(content, frequencies.content), 'content.wav');
  body.set('reference_audio', clipBlob(reference, frequencies.reference), 'reference.wav');
  return body;
}

async function post(hub: TestHub, body: FormData) {
  const res = await hub.call('/api/svc/vevosing', { method: 'POST', body });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes, text: () => new TextDecoder().decode(bytes) };
}

const samplesOf = (bytes: Uint8Array) => decodeWaveToFloat32Channels(bytes).audioChannels[0]!;
const rmsDb = (x: Float32Array) => 20 * Math.log10(Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length));

describe('VevoSing route on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('fm: the condition is aligned to mel(ref) + mel(content), so the content keeps its length (50 frames of 24 kHz at −25 dB)', async () => {
    const { res, bytes, text } = await post(hub, form({ use_shifted_src: false, flow_matching_steps: 2, seed: 3 }, 1, 1));
    assert.equal(res.status, 200, text());
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    assert.equal(res.headers.get('x-seed'), '3');
    assert.equal(res.headers.get('x-shift-semitones'), '0');
    assert.match(res.headers.get('server-timing') ?? '', /^features;dur=[\d.]+, fm;dur=[\d.]+, vocoder;dur=[\d.]+$/);
    const samples = samplesOf(bytes);
    assert.equal(samples.length, 50 * 480);
    assert.ok(Math.abs(rmsDb(samples) - -25) < 0.2, `rms ${rmsDb(samples)} dB`);
  });

  it('fm with use_shifted_src (the default): a 220 Hz content and a 440 Hz reference are 12 semitones apart, and the shifted chromagram changes the tokens', async () => {
    const shifted = await post(hub, form({ flow_matching_steps: 2, seed: 3 }, 1, 1, { content: 220, reference: 440 }));
    assert.equal(shifted.res.status, 200, shifted.text());
    assert.equal(shifted.res.headers.get('x-shift-semitones'), '12');
    const plain = await post(hub, form({ use_shifted_src: false, flow_matching_steps: 2, seed: 3 }, 1, 1, { content: 220, reference: 440 }));
    assert.equal(samplesOf(shifted.bytes).length, samplesOf(plain.bytes).length);
    assert.notDeepEqual(shifted.bytes, plain.bytes);
  });

  it('ar (recognition-synthesis): lyrics after the reference transcript, the AR writes max_new_tokens tokens of 4 mel frames each', async () => {
    const { res, bytes, text } = await post(hub, form({ mode: 'ar', text: 'la la la', reference_text: 'hello there', max_new_tokens: 6, flow_matching_steps: 2, seed: 5 }, 1, 1));
    assert.equal(res.status, 200, text());
    assert.match(res.headers.get('server-timing') ?? '', /^features;dur=[\d.]+, ar;dur=[\d.]+, fm;dur=[\d.]+, vocoder;dur=[\d.]+$/);
    // cond = 4 · (13 reference tokens + 6 generated) = 76 frames; prompt 50 mel frames → 26
    assert.equal(samplesOf(bytes).length, 26 * 480);
  });

  it('ar (synthesis) runs without the content melody', async () => {
    // a silent content clip is no obstacle: synthesis reads neither its melody nor its pitch
    const silent = new Blob([wavBytes(new Float32Array(12000), 24000)], { type: 'audio/wav' });
    const { res, bytes, text } = await post(hub, form({ mode: 'ar', task: 'synthesis', text: 'la la', reference_text: 'hello', max_new_tokens: 4, flow_matching_steps: 1, seed: 5 }, silent, 1));
    assert.equal(res.status, 200, text());
    assert.equal(res.headers.get('x-shift-semitones'), '0');
    assert.equal(samplesOf(bytes).length, (4 * (13 + 4) - 50) * 480);
  });

  it('takes any rate and channel count: a stereo 44.1 kHz content clip reads as 1 s', async () => {
    const tone = sine({ seconds: 1, sampleRate: 44100, frequency: 220 });
    const stereo = new Blob([wavBytes([tone, tone], 44100)], { type: 'audio/wav' });
    const { res, bytes, text } = await post(hub, form({ use_shifted_src: false, flow_matching_steps: 1, seed: 1 }, stereo, 1));
    assert.equal(res.status, 200, text());
    assert.equal(samplesOf(bytes).length, 50 * 480);
  });

  it('refuses, naming the field: mode=ar without lyrics (400), silence where a pitch is needed (422), clips too far apart to shift (422), a reference over 20 s (422 with the limit), an unknown mode (422)', async () => {
    const noText = await post(hub, form({ mode: 'ar' }, 1, 1));
    assert.equal(noText.res.status, 400, noText.text());
    assert.match(JSON.parse(noText.text()).detail, /^text: is required with mode=ar/);

    const silent = new Blob([wavBytes(new Float32Array(24000), 24000)], { type: 'audio/wav' });
    const unvoiced = await post(hub, form({ flow_matching_steps: 1 }, silent, 1));
    assert.equal(unvoiced.res.status, 422, unvoiced.text());
    assert.match(JSON.parse(unvoiced.text()).detail, /^content_audio: no pitch was found/);
    assert.doesNotMatch(unvoiced.text(), /NaN|Infinity/);

    const apart = await post(hub, form({ flow_matching_steps: 1 }, 1, 1, { content: 60, reference: 1000 }));
    assert.equal(apart.res.status, 422, apart.text());
    assert.match(JSON.parse(apart.text()).detail, /^use_shifted_src: content_audio \(median F0 60\.\d Hz\) and reference_audio \(1000\.\d Hz\) are 49 semitones apart; the shift is limited to ±24/);

    const long = await post(hub, form({ use_shifted_src: false }, 1, 21));
    assert.equal(long.res.status, 422, long.text());
    assert.match(JSON.parse(long.text()).detail, /^reference_audio: is 21\.0 s long; the limit is 20 s/);

    // a value outside the declared choices is 422 (seed 002's server), as is every range check
    const badMode = await post(hub, form({ mode: 'both' }, 1, 1));
    assert.equal(badMode.res.status, 422);
    assert.match(JSON.parse(badMode.text()).detail, /mode/);
  });

  it("offers a 'singing' voice-conversion capability that converts mono audio at any rate, unshifted when the source has no pitch", async () => {
    const runtime = hub.container.resolve<PluginRuntime>('runtime');
    const provider = runtime.find<VoiceConversionCapability>('voice-conversion', 'vevosing');
    assert.ok(provider, 'voice-conversion provider');
    assert.equal(provider.capability.domain, 'singing');
    await provider.ready();
    const ctx = provider.context({ signal: new AbortController().signal, requestId: 'vc-test' });
    const source = { samples: sine({ seconds: 1, sampleRate: 16000, frequency: 200 }), sampleRate: 16000 };
    const reference = { samples: sine({ seconds: 1, sampleRate: 48000, frequency: 300 }), sampleRate: 48000 };
    const voiced = await provider.capability.convert({ source, reference, steps: 1, seed: 2 }, ctx);
    assert.equal(voiced.sampleRate, 24000);
    assert.equal(voiced.audio.length, 50 * 480);
    const again = await provider.capability.convert({ source, reference, steps: 1, seed: 2 }, ctx);
    assert.deepEqual(again.audio, voiced.audio);
    const silent = await provider.capability.convert({ source: { samples: new Float32Array(16000), sampleRate: 16000 }, reference, steps: 1, seed: 2 }, ctx);
    assert.equal(silent.audio.length, 50 * 480);
  });
});
