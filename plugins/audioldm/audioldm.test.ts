// POST /api/tta/audioldm end to end on smoke graphs, over real HTTP: lengths, seeds, the
// range checks, truncation of long text, per-step progress on the task stream, and a
// cancel that ends the denoising loop within a step. Audio values are meaningless here.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import type { SessionManager } from '../../core/onnx/session-manager.ts';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { openEventStream, submit, waitForStatus } from '../../test/jobs/support.ts';
import { installSmokeGraphs } from '../../test/support/smoke.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..');

async function tta(hub: TestHub, fields: Record<string, string>): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return hub.call('/api/tta/audioldm', { method: 'POST', body: form });
}

async function wavOf(res: Response) {
  assert.equal(res.status, 200, await res.clone().text());
  const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
  return { samples: wav.audioChannels[0]!, sampleRate: wav.sampleRate };
}

const detailOf = async (res: Response) => ((await res.json()) as { detail: string }).detail;

describe('POST /api/tta/audioldm (smoke graphs)', { timeout: 120_000 }, () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ onnx: { workers: 1 }, jobs: { progressIntervalMs: 0, persistIntervalMs: 0 } });
    const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
    await installSmokeGraphs(hub.dataDir, plugins.filter((p) => p.decl.name === 'audioldm'));
  });
  after(() => hub.stop());

  it('answers 16 kHz audio cropped to the requested length, labelled smoke, with its seed', async () => {
    const res = await tta(hub, { text: 'A dog barking in the park', num_inference_steps: '10', audio_length_in_s: '1.01', seed: '7' });
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    assert.equal(res.headers.get('x-seed'), '7');
    assert.equal(res.headers.get('x-text-truncated'), null);
    const { samples, sampleRate } = await wavOf(res);
    assert.equal(sampleRate, 16000);
    // int(1.01 · 16000); the latent covers 104 mel frames (101 rounded up to a multiple of 4)
    assert.equal(samples.length, 16160);
    assert.ok(samples.some((v) => v !== 0));
  });

  it('defaults to 5 s and 50 steps', async () => {
    const { samples } = await wavOf(await tta(hub, { text: 'rain on a tin roof', seed: '1' }));
    assert.equal(samples.length, 80000);
  });

  it('reproduces the same audio from the same seed, and other audio from another', async () => {
    const fields = { text: 'a cat meowing', num_inference_steps: '10', audio_length_in_s: '1' };
    const a = await wavOf(await tta(hub, { ...fields, seed: '42' }));
    const b = await wavOf(await tta(hub, { ...fields, seed: '42' }));
    const c = await wavOf(await tta(hub, { ...fields, seed: '43' }));
    assert.deepEqual(a.samples, b.samples);
    assert.notDeepEqual(a.samples, c.samples);
  });

  for (const [field, value, rule] of [
    ['num_inference_steps', '9', /num_inference_steps: must be >= 10/],
    ['num_inference_steps', '201', /num_inference_steps: must be <= 200/],
    ['audio_length_in_s', '0.5', /audio_length_in_s: must be >= 1/],
    ['audio_length_in_s', '30.5', /audio_length_in_s: must be <= 30/],
  ] as const) {
    it(`refuses ${field}=${value}, naming the range`, async () => {
      const res = await tta(hub, { text: 'wind', [field]: value });
      assert.equal(res.status, 422);
      assert.match(await detailOf(res), rule);
    });
  }

  it('refuses empty and blank text', async () => {
    for (const text of ['', '   ']) {
      const res = await tta(hub, { text });
      assert.equal(res.status, 422);
      assert.match(await detailOf(res), /^text: /);
    }
  });

  it('cuts text beyond 512 tokens and says so in X-Text-Truncated', async () => {
    const res = await tta(hub, { text: 'birds singing '.repeat(60), num_inference_steps: '10', audio_length_in_s: '1', seed: '3' });
    assert.equal(res.headers.get('x-text-truncated'), 'true');
    const { samples } = await wavOf(res);
    assert.equal(samples.length, 16000);
  });

  it('reports the denoising steps, in order, on the task stream', async () => {
    const task = await submit(hub, '/tta/audioldm', { text: 'thunder', num_inference_steps: 100, audio_length_in_s: 30, seed: 5 });
    const { events } = await openEventStream(hub, task.task_id);
    const all = await events;
    // The stream starts when the client subscribes: the first steps may have passed by then.
    const steps = all.filter((e) => e.stage === 'denoise').map((e) => Number(/^step (\d+) of 100$/.exec(e.message ?? '')?.[1]));
    assert.ok(steps.length >= 2, JSON.stringify(all));
    assert.ok(steps.every((n, i) => n > 0 && (i === 0 || n === steps[i - 1]! + 1)), `steps out of order: ${steps.join(',')}`);
    assert.equal(steps.at(-1), 100);
    assert.equal(all.at(-1)!.status, 'done');
  });

  it('a cancelled task stops the denoising loop within a step', async () => {
    const manager = hub.container.resolve<SessionManager>('graphs');
    const loops = async () => (await manager.workerStats()).reduce((n, w) => n + w.loops, 0);
    const task = await submit(hub, '/tta/audioldm', { text: 'a long drone', num_inference_steps: 200, audio_length_in_s: 30, seed: 9 });
    for (let i = 0; i < 1000 && (await loops()) === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(await loops(), 1, 'the loop is running');
    const res = await hub.call(`/api/tasks/${task.task_id}/cancel`, { method: 'POST' });
    assert.ok(res.status < 300, await res.text());
    const started = performance.now();
    for (let i = 0; i < 500 && (await loops()) > 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(await loops(), 0, `the loop still runs ${(performance.now() - started).toFixed(0)} ms after the cancel`);
    const final = await waitForStatus(hub, task.task_id, (t) => t.status !== 'running');
    assert.equal(final.status, 'cancelled');
  });
});
