// POST /api/tts/metis end to end over HTTP on smoke graphs: Metis' own T2S graphs, MaskGCT's
// codecs and S2A through the `maskgct-stages` capability, the real phonemizer, audio toolkit
// and onnxruntime sessions; as a synchronous call and as an async task (progress, cancel).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import type { ProgressEvent } from '../../../core/jobs/types.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { assertOrderedProgress, openEventStream, submit, waitForStatus } from '../../../test/jobs/support.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { DEV_KEY, startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';
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

/** An async task's form: always with a one-second reference. */
function taskForm(fields: Record<string, string | number>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  body.set('reference_audio', wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 180 }), 'reference.wav');
  return body;
}

async function speak(hub: TestHub, body: FormData) {
  const res = await hub.call('/api/tts/metis', { method: 'POST', body });
  if (res.status !== 200) return { res, samples: 0, detail: ((await res.json()) as { detail: string }).detail };
  const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
  return { res, samples: wav.audioChannels[0]!.length, sampleRate: wav.sampleRate, detail: '' };
}

describe('POST /api/tts/metis on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    // one synthesis at a time, so a second async task waits in the queue while a first one runs
    hub = await startTestHub({ registry: REGISTRY, jobs: { progressIntervalMs: 0, persistIntervalMs: 0, plugins: { metis: { concurrency: 1, queueBound: 4 } } } });
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

  it('speaks without a reference from an empty prompt, exactly target_duration long, the same for the same seed', async () => {
    const first = await hub.call('/api/tts/metis', { method: 'POST', body: form({ ...BASE, target_duration: 0.5 }) });
    assert.equal(first.status, 200, await first.clone().text());
    const bytes = new Uint8Array(await first.arrayBuffer());
    assert.equal(decodeWaveToFloat32Channels(bytes).audioChannels[0]!.length, 25 * 480);
    const again = await hub.call('/api/tts/metis', { method: 'POST', body: form({ ...BASE, target_duration: 0.5 }) });
    assert.deepEqual(new Uint8Array(await again.arrayBuffer()), bytes);
  });

  it('without a reference or a duration, estimates the length from the text at the documented rate', async () => {
    const text = 'Hello there, my friend.';
    const { res, samples, detail } = await speak(hub, form({ ...BASE, text }));
    assert.equal(res.status, 200, detail);
    assert.equal(samples, Math.trunc((text.length / METIS.unpromptedBytesPerSecond) * 50) * 480);
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

  it('speaks through /v1/audio/speech in a registered reference voice, and from an empty prompt for any other voice', async () => {
    const reference = new FormData();
    reference.set('id', 'narrator');
    reference.set('text', 'This is the reference voice.');
    reference.set('audio', wavBlobFor({ seconds: 1.5, sampleRate: 24000, frequency: 150 }), 'voice.wav');
    const added = await hub.call('/v1/references/add', { method: 'POST', body: reference });
    assert.equal(added.status, 201, await added.clone().text());
    for (const voice of ['narrator', 'alloy']) {
      const res = await hub.call('/v1/audio/speech', {
        method: 'POST',
        headers: { authorization: `Bearer ${DEV_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'metis', input: 'Hi there.', voice, response_format: 'wav' }),
      });
      assert.equal(res.status, 200, `${voice}: ${await res.clone().text()}`);
      const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
      assert.equal(wav.sampleRate, 24000);
      assert.ok(wav.audioChannels[0]!.length > 0);
    }
  });

  it('reports progress per step through every stage, and stops a cancelled synthesis between steps', async () => {
    const base = { text: 'Hello from the hub.', reference_text: 'This is the reference voice.' };
    const long = await submit(hub, '/tts/metis', taskForm({ ...base, n_timesteps: 100, target_duration: 30, seed: 1 }), { query: '?async=true' });
    await waitForStatus(hub, long.task_id, (t) => t.status === 'running' && t.stage === 't2s');
    const task = await submit(hub, '/tts/metis', taskForm({ ...base, n_timesteps: 2, target_duration: 1, seed: 2 }), { query: '?async=true' });
    const stream = await openEventStream(hub, task.task_id);

    assert.equal((await hub.call(`/api/tasks/${long.task_id}/cancel`, { method: 'POST' })).status, 202);
    const cancelled = await waitForStatus(hub, long.task_id, (t) => t.status !== 'running');
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.progress < 0.5, `stopped during T2S, at ${cancelled.progress}`);

    const events: ProgressEvent[] = await stream.events;
    assertOrderedProgress(events);
    assert.equal(events.at(-1)!.status, 'done');
    const running = events.filter((e) => e.status === 'running' && e.stage !== undefined);
    assert.deepEqual([...new Set(running.map((e) => e.stage))].filter((s) => ['semantic', 'acoustic', 't2s', 's2a', 'decode'].includes(s!)), ['semantic', 'acoustic', 't2s', 's2a', 'decode']);
    // Metis' S2A schedule: 40 + 16 + 10 × 1 steps (49 target frames: no layer's schedule reaches 0 masked early)
    assert.equal(running.filter((e) => e.stage === 's2a').length, 66);
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
