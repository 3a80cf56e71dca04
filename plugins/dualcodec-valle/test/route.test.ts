// POST /api/tts/dualcodec-valle end to end over HTTP on smoke graphs: the AR loop on the
// engine (K/V resident), the NAR passes, DualCodec's encoder and decoder through its
// capability, the real audio toolkit and onnxruntime sessions; synchronous and as an async task.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import type { ProgressEvent } from '../../../core/jobs/types.ts';
import type { TtsCapability } from '../../../core/capabilities.ts';
import type { PluginRuntime } from '../../../core/plugin/runtime.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { assertOrderedProgress, openEventStream, submit, waitForStatus } from '../../../test/jobs/support.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { DEV_KEY, startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';
import { sine, wavBytes } from '../../../test/support/wav.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-valle.json');

/** `reference` null: no upload at all. */
function form(fields: Record<string, string | number>, reference: Blob | null = wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 180 })): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  if (reference) body.set('reference_audio', reference, 'reference.wav');
  return body;
}

const BASE = { text: 'Hello from the hub.', reference_text: 'This is the reference voice.', seed: 7 };

/** An async task's form: always with a one-second reference. */
function taskForm(fields: Record<string, string | number>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  body.set('reference_audio', wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 180 }), 'reference.wav');
  return body;
}

async function speak(hub: TestHub, body: FormData) {
  const res = await hub.call('/api/tts/dualcodec-valle', { method: 'POST', body });
  if (res.status !== 200) return { res, samples: 0, bytes: new Uint8Array(), detail: ((await res.json()) as { detail: string }).detail };
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes, samples: decodeWaveToFloat32Channels(bytes).audioChannels[0]!.length, detail: '' };
}

describe('POST /api/tts/dualcodec-valle on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    // one synthesis at a time, so a second async task waits in the queue while a first one runs
    hub = await startTestHub({ registry: REGISTRY, jobs: { progressIntervalMs: 0, persistIntervalMs: 0, plugins: { 'dualcodec-valle': { concurrency: 1, queueBound: 4 } } } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('answers whole DualCodec frames of 24 kHz audio, no longer than max_duration', async () => {
    const { res, samples, detail } = await speak(hub, form({ ...BASE, max_duration: 0.8 }));
    assert.equal(res.status, 200, detail);
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    assert.equal(res.headers.get('x-seed'), '7');
    assert.equal(samples % 1920, 0);
    assert.ok(samples >= 1920 && samples <= 10 * 1920, `${samples} samples`);
  });

  it('gives the same audio for the same seed', async () => {
    const a = await speak(hub, form({ ...BASE, max_duration: 0.4 }));
    const b = await speak(hub, form({ ...BASE, max_duration: 0.4 }));
    assert.equal(a.res.status, 200, a.detail);
    assert.deepEqual(a.bytes, b.bytes);
  });

  it('refuses a missing, undecodable or too short reference, naming reference_audio', async () => {
    const missing = await speak(hub, form({ ...BASE, max_duration: 0.3 }, null));
    assert.equal(missing.res.status, 400);
    assert.match(missing.detail, /reference_audio/);
    const text = await speak(hub, form({ ...BASE, max_duration: 0.3 }, new Blob(['not audio at all, just text'], { type: 'audio/wav' })));
    assert.equal(text.res.status, 415);
    assert.match(text.detail, /reference_audio/);
    const short = await speak(hub, form({ ...BASE, max_duration: 0.3 }, wavBlobFor({ seconds: 0.2, sampleRate: 24000 })));
    assert.equal(short.res.status, 400);
    assert.match(short.detail, /reference_audio: .*at least 0.5 s/);
  });

  it('documents the seed fields and the sampling defaults in the OpenAPI document', async () => {
    const doc = (await (await hub.call('/api/openapi.json')).json()) as { paths: Record<string, any> };
    const body = doc.paths['/api/tts/dualcodec-valle'].post.requestBody.content['multipart/form-data'].schema;
    assert.deepEqual(body.required.sort(), ['reference_audio', 'text']);
    assert.deepEqual([body.properties.top_k.default, body.properties.top_p.default, body.properties.repetition_penalty.default], [15, 0.85, 1.1]);
  });

  it('offers the tts capability: a reference clip is the voice, max_new_tokens caps the AR, no reference is refused', async () => {
    const runtime = hub.container.resolve<PluginRuntime>('runtime');
    const provider = runtime.find<TtsCapability>('tts', 'dualcodec-valle');
    assert.ok(provider, 'dualcodec-valle offers tts');
    const path = join(hub.dataDir, 'capability-reference.wav');
    await writeFile(path, wavBytes(sine({ seconds: 1, sampleRate: 24000, frequency: 150 }), 24000));
    const ctx = provider.context({ signal: new AbortController().signal, requestId: 'capability' });
    const reference = { path, format: 'wav', text: 'This is the reference voice.' } as const;
    const { audio, sampleRate } = await provider.capability.synthesize({ text: 'Hi there.', reference, sampling: { max_new_tokens: 3 }, seed: 1 }, ctx);
    assert.equal(sampleRate, 24000);
    assert.ok(audio.length > 0 && audio.length <= 3 * 1920 && audio.length % 1920 === 0, `${audio.length} samples`);
    // through the OpenAI surface, a voice that is not a registered reference is refused naming `voice`
    const none = await hub.call('/v1/audio/speech', {
      method: 'POST',
      headers: { authorization: `Bearer ${DEV_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'dualcodec-valle', input: 'Hi there.', voice: 'alloy', response_format: 'wav' }),
    });
    assert.equal(none.status, 400);
    assert.equal(((await none.json()) as { error: { param?: string } }).error.param, 'voice');
  });

  it('reports progress per token and per layer, and stops a cancelled AR loop within a step', async () => {
    const base = { text: 'Hello from the hub.', reference_text: 'This is the reference voice.' };
    // no max_duration: the smoke AR never says EOS, so this runs until its ~960-token window is used up
    const long = await submit(hub, '/tts/dualcodec-valle', taskForm({ ...base, seed: 1 }), { query: '?async=true' });
    await waitForStatus(hub, long.task_id, (t) => t.status === 'running' && t.stage === 'ar');
    const task = await submit(hub, '/tts/dualcodec-valle', taskForm({ ...base, max_duration: 0.4, seed: 2 }), { query: '?async=true' });
    const stream = await openEventStream(hub, task.task_id);

    const started = performance.now();
    assert.equal((await hub.call(`/api/tasks/${long.task_id}/cancel`, { method: 'POST' })).status, 202);
    const cancelled = await waitForStatus(hub, long.task_id, (t) => t.status !== 'running');
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.progress < 0.5, `stopped during the AR stage, at ${cancelled.progress}`);
    assert.ok(performance.now() - started < 5000, 'the loop stopped within a step, not at the end of its window');

    const events: ProgressEvent[] = await stream.events;
    assertOrderedProgress(events);
    assert.equal(events.at(-1)!.status, 'done');
    const running = events.filter((e) => e.status === 'running' && e.stage !== undefined);
    assert.deepEqual([...new Set(running.map((e) => e.stage))].filter((s) => ['encode', 'ar', 'nar', 'decode'].includes(s!)), ['encode', 'ar', 'nar', 'decode']);
    assert.deepEqual(running.filter((e) => e.stage === 'nar').map((e) => e.message), [1, 2, 3, 4, 5, 6, 7].map((l) => `layer ${l} of 7`));
  });
});

describe('POST /api/tts/dualcodec-valle without DualCodec', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY });
    await installSmokeGraphs(hub.dataDir, (await loadPlugins(REGISTRY, ROOT)).filter((p) => p.decl.name === 'dualcodec-valle'));
  });
  after(() => hub.stop());

  it("answers 503 with DualCodec's install command", async () => {
    const { res, detail } = await speak(hub, form({ ...BASE, max_duration: 0.3 }));
    assert.equal(res.status, 503);
    assert.match(detail, /npm run weights -- pull dualcodec/);
  });
});
