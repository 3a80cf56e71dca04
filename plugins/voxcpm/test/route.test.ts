// POST /api/tts/voxcpm end to end over HTTP on smoke graphs (the real hub, audio toolkit and
// onnxruntime sessions, the patch loop in the worker), its field checks, and the same model
// behind the OpenAI-compatible surface through its `tts` capability.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { DEV_KEY, startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-voxcpm.json');
const REGISTRY_WITH_ASR = join(import.meta.dirname, 'fixtures', 'registry-voxcpm-asr.json');

function form(fields: Record<string, string | number>, reference?: { seconds: number; sampleRate: number }): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  if (reference) body.set('reference_audio', wavBlobFor({ ...reference, frequency: 170 }), 'reference.wav');
  return body;
}

const json = (body: Record<string, unknown>) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /api/tts/voxcpm on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY, openai: { defaultModel: 'voxcpm' } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  const post = (path: string, init: RequestInit) => hub.call(`/api/tts/${path}`, init);

  it('speaks text at 16 kHz, whole patches long, with its seed and the smoke state in headers', async () => {
    const res = await post('voxcpm', json({ text: 'Hello from the hub.', inference_timesteps: 2, seed: 7 }));
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('x-seed'), '7');
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    const patches = Number(res.headers.get('x-patches'));
    assert.ok(patches >= 1 && patches <= 6, `${patches} patches`);
    const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
    assert.equal(wav.sampleRate, 16000);
    // One patch = 2 latent frames of 640 samples (80 ms).
    assert.equal(wav.audioChannels[0]!.length, patches * 2 * 640);
  });

  it('continues a reference clip (multipart) and reproduces itself from its seed', async () => {
    const fields = { text: 'And this is new.', reference_text: 'This is the reference voice.', cfg_value: 3.5, inference_timesteps: 3, seed: 21 };
    const a = await post('voxcpm', { method: 'POST', body: form(fields, { seconds: 1.3, sampleRate: 22050 }) });
    assert.equal(a.status, 200, await a.clone().text());
    const b = await post('voxcpm', { method: 'POST', body: form(fields, { seconds: 1.3, sampleRate: 22050 }) });
    assert.deepEqual(new Uint8Array(await a.arrayBuffer()), new Uint8Array(await b.arrayBuffer()));
  });

  it("accepts VoxCPM's own names for the prompt (prompt_wav, prompt_text)", async () => {
    const body = new FormData();
    body.set('text', 'Again.');
    body.set('prompt_text', 'The prompt.');
    body.set('inference_timesteps', '1');
    body.set('prompt_wav', wavBlobFor({ seconds: 0.5, sampleRate: 16000 }), 'prompt.wav');
    const res = await post('voxcpm', { method: 'POST', body });
    assert.equal(res.status, 200, await res.clone().text());
  });

  it('serves VoxCPM2 from the same code with its own rates: 48 kHz out, patches of 4 frames of 1920 samples', async () => {
    const res = await post('voxcpm2', { method: 'POST', body: form({ text: 'Bonjour.', reference_text: 'Voix.', inference_timesteps: 2, seed: 3 }, { seconds: 0.7, sampleRate: 16000 }) });
    assert.equal(res.status, 200, await res.clone().text());
    const patches = Number(res.headers.get('x-patches'));
    const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
    assert.equal(wav.sampleRate, 48000);
    assert.equal(wav.audioChannels[0]!.length, patches * 4 * 1920);
  });

  it('answers 422 with a detail for cfg_value outside 0.5–5.0, and defaults it to 2.0', async () => {
    for (const cfg of [0.49, 5.01, -1]) {
      const res = await post('voxcpm', json({ text: 'Hi.', cfg_value: cfg, inference_timesteps: 1 }));
      assert.equal(res.status, 422, `cfg_value ${cfg}`);
      assert.match(((await res.json()) as { detail: string }).detail, /^cfg_value: must be between 0\.5 and 5/);
    }
    for (const cfg of [0.5, 5]) assert.equal((await post('voxcpm', json({ text: 'Hi.', cfg_value: cfg, inference_timesteps: 1, seed: 1 }))).status, 200);
  });

  it('refuses bad fields with 4xx and a detail naming them', async () => {
    const cases: [RequestInit, number, RegExp][] = [
      [json({ text: '' }), 422, /text/],
      [json({}), 400, /text/],
      [json({ text: 'Hi.', inference_timesteps: 0 }), 422, /inference_timesteps/],
      [json({ text: 'Hi.', inference_timesteps: 101 }), 422, /inference_timesteps/],
      [json({ text: 'Hi.', seed: -1 }), 422, /seed/],
      [json({ text: 'Hi.', cfg_value: 'strong' }), 400, /cfg_value/],
      [json({ text: 'Hi.', temperature: 1 }), 400, /temperature/],
      [json({ text: '   \n ' }), 400, /text/],
      [json({ text: 'Hi.', reference_text: 'No clip.' }), 400, /reference_audio/],
      [{ method: 'POST', body: form({ text: 'Hi.' }, { seconds: 1, sampleRate: 16000 }) }, 400, /^reference_text: is required with reference_audio: no speech recognition model/],
    ];
    for (const [init, status, detail] of cases) {
      const res = await post('voxcpm', init);
      const body = (await res.json()) as { detail: string };
      assert.equal(res.status, status, `${String(init.body).slice(0, 80)}: ${body.detail}`);
      assert.match(body.detail, detail);
    }
  });

  it('answers 415 for a reference that is not audio, and leaves no upload behind', async () => {
    const body = new FormData();
    body.set('text', 'Hi.');
    body.set('reference_text', 'Text.');
    body.set('reference_audio', new Blob(['this is not audio at all, just text'.repeat(20)]), 'voice.wav');
    const res = await post('voxcpm', { method: 'POST', body });
    assert.equal(res.status, 415, await res.clone().text());
    const uploads = join(hub.dataDir, 'tmp', 'uploads');
    const left = (() => { try { return readdirSync(uploads, { recursive: true }); } catch { return []; } })();
    assert.deepEqual(left, []);
  });

  it('speaks through /v1/audio/speech with its own voice, passing cfg_value on', async () => {
    const speak = (body: Record<string, unknown>) =>
      hub.call('/v1/audio/speech', { method: 'POST', headers: { authorization: `Bearer ${DEV_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const res = await speak({ model: 'voxcpm', input: 'Hello there.', voice: 'default', response_format: 'wav', cfg_value: 2.5 });
    assert.equal(res.status, 200, await res.clone().text());
    const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
    assert.equal(wav.sampleRate, 16000);
    assert.ok(wav.audioChannels[0]!.length > 0);
  });
});

describe('POST /api/tts/voxcpm with a speech recognition model installed', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY_WITH_ASR });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY_WITH_ASR, ROOT));
  });
  after(() => hub.stop());

  it('transcribes a reference clip sent without reference_text, as Swagger sends it', async () => {
    const res = await hub.call('/api/tts/voxcpm', { method: 'POST', body: form({ text: 'Hello.', inference_timesteps: 2, seed: 4 }, { seconds: 1, sampleRate: 16000 }) });
    assert.equal(res.status, 200, await res.clone().text());
    assert.ok(Number(res.headers.get('x-patches')) >= 1);
  });
});
