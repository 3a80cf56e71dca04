// POST /api/vc/noro end to end over HTTP on smoke graphs: the real hub, audio toolkit and
// onnxruntime sessions, the sampler loop running in the ONNX worker; the MaskGCT route's
// bad-input behaviour (400/415 naming the field, 503 with the install command); the
// voice-conversion capability; an async task cancelled between sampler steps.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import type { VoiceConversionCapability } from '../../../core/capabilities.ts';
import type { PluginRuntime } from '../../../core/plugin/runtime.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { statusOf, submit, waitForStatus } from '../../../test/jobs/support.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-noro.json');

function form(fields: Record<string, string | number>, clips: Record<string, number | Blob>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  for (const [name, clip] of Object.entries(clips)) body.set(name, typeof clip === 'number' ? wavBlobFor({ seconds: clip, sampleRate: 16000, frequency: 180 }) : clip, `${name}.wav`);
  return body;
}

async function post(hub: TestHub, body: FormData) {
  const res = await hub.call('/api/vc/noro', { method: 'POST', body });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes, detail: () => (JSON.parse(new TextDecoder().decode(bytes)) as { detail: string }).detail };
}

describe('POST /api/vc/noro on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY, jobs: { progressIntervalMs: 0, persistIntervalMs: 0 } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('answers 16 kHz audio as long as the source, and the same seed gives the same audio', async () => {
    const first = await post(hub, form({ steps: 3, seed: 5 }, { source_audio: 1.3, target_audio: 0.8 }));
    assert.equal(first.res.status, 200, new TextDecoder().decode(first.bytes));
    assert.equal(first.res.headers.get('x-weight-state'), 'smoke');
    assert.equal(first.res.headers.get('x-seed'), '5');
    assert.match(first.res.headers.get('server-timing') ?? '', /^features;dur=[\d.]+, diffusion;dur=[\d.]+, vocoder;dur=[\d.]+$/);
    const { audioChannels, sampleRate } = decodeWaveToFloat32Channels(first.bytes);
    assert.equal(sampleRate, 16000);
    // padded to 1.3 s → 1.4 s = 112 frames × 200 samples, cut back to the source's 20 800
    assert.equal(audioChannels[0]!.length, 20800);
    const again = await post(hub, form({ steps: 3, seed: 5 }, { source_audio: 1.3, target_audio: 0.8 }));
    assert.deepEqual(again.bytes, first.bytes);
  });

  it('lists the route with the seed\'s field names and states the defaults', async () => {
    const doc = (await (await hub.call('/api/openapi.json')).json()) as any;
    const op = doc.paths['/api/vc/noro'].post;
    const schema = op.requestBody.content['multipart/form-data'].schema;
    assert.deepEqual(schema.required?.slice().sort(), ['source_audio', 'target_audio']);
    assert.equal(schema.properties.steps.default, 200);
    assert.match(op.description, /200 sampler steps/);
  });

  it('names the missing upload (400) and the undecodable one (415)', async () => {
    const missing = await post(hub, form({ steps: 1 }, { source_audio: 1 }));
    assert.equal(missing.res.status, 400);
    assert.match(missing.detail(), /target_audio/);
    const junk = await post(hub, form({ steps: 1 }, { source_audio: new Blob([new Uint8Array(3000).fill(7)]), target_audio: 1 }));
    assert.equal(junk.res.status, 415);
    assert.match(junk.detail(), /source_audio/);
    const short = await post(hub, form({ steps: 1 }, { source_audio: 1, target_audio: 0.05 }));
    assert.equal(short.res.status, 400);
    assert.match(short.detail(), /^target_audio: is 0\.050 s long/);
  });

  it('offers a speech voice-conversion capability that runs the same pipeline', async () => {
    const provider = hub.container.resolve<PluginRuntime>('runtime').find<VoiceConversionCapability>('voice-conversion', 'noro');
    assert.ok(provider);
    assert.equal(provider.capability.domain, 'speech');
    await provider.ready();
    const tone = (seconds: number, rate: number) => Float32Array.from({ length: seconds * rate }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 150 * i) / rate));
    const ctx = provider.context({ signal: new AbortController().signal, requestId: 'noro-capability' });
    const out = await provider.capability.convert({ source: { samples: tone(1, 24000), sampleRate: 24000 }, reference: { samples: tone(1, 16000), sampleRate: 16000 }, steps: 2, seed: 1 }, ctx);
    assert.equal(out.sampleRate, 16000);
    assert.equal(out.audio.length, 16000);
  });

  it('reports progress per sampler step and stops a cancelled task before its last step', async () => {
    const task = await submit(hub, '/vc/noro', form({ steps: 1000, seed: 1 }, { source_audio: 5, target_audio: 1 }), { query: '?async=true' });
    const running = await waitForStatus(hub, task.task_id, (t) => t.status === 'running' && t.stage === 'diffusion' && /^diffusion \d+ of 1000$/.test(t.message ?? ''));
    assert.equal(running.stage, 'diffusion');
    const cancel = await hub.call(`/api/tasks/${task.task_id}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 202);
    const done = await waitForStatus(hub, task.task_id, (t) => t.status !== 'running');
    assert.equal(done.status, 'cancelled');
    assert.ok(done.progress < 0.9, `stopped early (progress ${done.progress})`);
    assert.equal((await statusOf(hub, task.task_id)).status, 'cancelled');
  });
});

describe('POST /api/vc/noro without weights', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY });
  });
  after(() => hub.stop());

  it('answers 503 naming the missing graphs and the install command', async () => {
    const { res, detail } = await post(hub, form({ steps: 1 }, { source_audio: 1, target_audio: 1 }));
    assert.equal(res.status, 503);
    assert.match(detail(), /plugin 'noro' has no weights: missing .*content\.onnx.*install them with: /);
  });
});
