// POST /api/tts/metis end to end over HTTP on smoke graphs: Metis' own T2S graphs, MaskGCT's
// codecs and S2A through the `maskgct-stages` capability, the real phonemizer, audio toolkit
// and onnxruntime sessions.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';
import { kaldiFrameCount } from '../../w2v-bert/front-end.ts';
import { METIS } from '../settings.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-metis.json');

function form(fields: Record<string, string | number>, reference?: Blob): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  if (reference) body.set('reference_audio', reference, 'reference.wav');
  return body;
}

const oneSecond = () => wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 180 });
const BASE = { text: 'Hello from the hub.', n_timesteps: 2, seed: 7 };

async function speak(hub: TestHub, body: FormData) {
  const res = await hub.call('/api/tts/metis', { method: 'POST', body });
  if (res.status !== 200) return { res, samples: 0, detail: ((await res.json()) as { detail: string }).detail };
  const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
  return { res, samples: wav.audioChannels[0]!.length, sampleRate: wav.sampleRate, detail: '' };
}

describe('POST /api/tts/metis on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it("speaks in a reference clip's voice: S2A makes (prompt semantic + target − prompt acoustic) frames of 480 samples", async () => {
    const { res, samples, sampleRate, detail } = await speak(hub, form({ ...BASE, reference_text: 'This is the reference voice.', target_duration: 0.5 }, oneSecond()));
    assert.equal(res.status, 200, detail);
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    assert.equal(res.headers.get('x-seed'), '7');
    assert.equal(sampleRate, 24000);
    const semantic = Math.ceil(kaldiFrameCount(16000) / 2);
    assert.equal(samples, (semantic + 25 - 50) * 480);
  });

  it('speaks without a reference from an empty prompt, exactly target_duration long', async () => {
    const { res, samples, detail } = await speak(hub, form({ ...BASE, target_duration: 0.5 }));
    assert.equal(res.status, 200, detail);
    assert.equal(samples, 25 * 480);
  });

  it('without a reference or a duration, estimates the length from the text at the documented rate', async () => {
    const text = 'A sentence of a certain length, spoken by nobody in particular.';
    const { res, samples, detail } = await speak(hub, form({ ...BASE, text }));
    assert.equal(res.status, 200, detail);
    assert.equal(samples, Math.trunc((text.length / METIS.unpromptedBytesPerSecond) * 50) * 480);
  });

  it('gives the same audio for the same seed', async () => {
    const a = await hub.call('/api/tts/metis', { method: 'POST', body: form({ ...BASE, target_duration: 0.3 }) });
    const b = await hub.call('/api/tts/metis', { method: 'POST', body: form({ ...BASE, target_duration: 0.3 }) });
    assert.deepEqual(new Uint8Array(await a.arrayBuffer()), new Uint8Array(await b.arrayBuffer()));
  });

  it('answers 415 naming reference_audio when the clip is not audio, and 400 when it is too short', async () => {
    const text = await speak(hub, form(BASE, new Blob(['not audio at all, just text'], { type: 'audio/wav' })));
    assert.equal(text.res.status, 415);
    assert.match(text.detail, /reference_audio/);
    const short = await speak(hub, form({ ...BASE, reference_text: 'Hi.' }, wavBlobFor({ seconds: 0.2, sampleRate: 24000 })));
    assert.equal(short.res.status, 400);
    assert.match(short.detail, /reference_audio: .*at least 0.5 s/);
  });

  it('documents the seed fields and their defaults in the OpenAPI document', async () => {
    const doc = (await (await hub.call('/api/openapi.json')).json()) as { paths: Record<string, any> };
    const body = doc.paths['/api/tts/metis'].post.requestBody.content['multipart/form-data'].schema;
    assert.deepEqual(body.required, ['text']);
    assert.ok(body.properties.reference_audio, 'reference_audio is a field');
    assert.equal(body.properties.n_timesteps.default, 25);
    assert.equal(body.properties.cfg.default, 2.5);
  });
});

describe('POST /api/tts/metis without MaskGCT', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY });
    // Metis' own graphs only: MaskGCT reads 'missing'
    await installSmokeGraphs(hub.dataDir, (await loadPlugins(REGISTRY, ROOT)).filter((p) => p.decl.name === 'metis'));
  });
  after(() => hub.stop());

  it("answers 503 with MaskGCT's install command", async () => {
    const { res, detail } = await speak(hub, form({ ...BASE, target_duration: 0.3 }));
    assert.equal(res.status, 503);
    assert.match(detail, /npm run weights -- pull maskgct/);
  });
});
