// POST /api/tta/picoaudio end to end on smoke graphs, over real HTTP: its own UNet loop, then
// AudioLDM's VAE decoder and vocoder through the capability; the caption refusals (422 with
// what was understood) and the range checks. Audio values are meaningless here.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { openEventStream, submit } from '../../test/jobs/support.ts';
import { STEPS } from './generate.ts';
import { installSmokeGraphs } from '../../test/support/smoke.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..');

async function pico(hub: TestHub, fields: Record<string, string>): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return hub.call('/api/tta/picoaudio', { method: 'POST', body: form });
}

const detailOf = async (res: Response) => ((await res.json()) as { detail: string }).detail;

describe('POST /api/tta/picoaudio (smoke graphs)', { timeout: 120_000 }, () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ onnx: { workers: 1 }, jobs: { progressIntervalMs: 0, persistIntervalMs: 0 } });
    const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
    await installSmokeGraphs(hub.dataDir, plugins.filter((p) => p.decl.name === 'picoaudio' || p.decl.name === 'audioldm'));
  });
  after(() => hub.stop());

  it('answers 16 kHz audio of the requested duration, reproducible by seed', async () => {
    const fields = { text: 'cat meowing at 0.5-1.5 and whistling at 2.0-2.5', duration: '2.5' };
    const first = await pico(hub, { ...fields, seed: '11' });
    assert.equal(first.status, 200, await first.clone().text());
    assert.equal(first.headers.get('x-weight-state'), 'smoke');
    assert.equal(first.headers.get('x-seed'), '11');
    const a = decodeWaveToFloat32Channels(new Uint8Array(await first.arrayBuffer()));
    assert.equal(a.sampleRate, 16000);
    assert.equal(a.audioChannels[0]!.length, 40000);
    const again = decodeWaveToFloat32Channels(new Uint8Array(await (await pico(hub, { ...fields, seed: '11' })).arrayBuffer()));
    assert.deepEqual(again.audioChannels[0], a.audioChannels[0]);
  });

  it('defaults to 3 s and takes frequency captions', async () => {
    const res = await pico(hub, { text: 'dog barking two times' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer())).audioChannels[0]!.length, 48000);
  });

  it('refuses a caption it cannot read with 422, saying what it understood', async () => {
    const res = await pico(hub, { text: 'cat meowing at 0.5-2.0 and a violin at 1-2', duration: '3' });
    assert.equal(res.status, 422);
    const detail = await detailOf(res);
    assert.match(detail, /^text: "a violin" is not one of the events this model knows \(understood: cat meowing at 0\.5-2\)/);
    assert.match(detail, /events: burping belching, car horn honking/);
  });

  it('refuses timestamps beyond the duration with 422', async () => {
    const res = await pico(hub, { text: 'explosion at 2.0-4.0', duration: '3' });
    assert.equal(res.status, 422);
    assert.match(await detailOf(res), /explosion at 2-4 ends after the requested duration of 3 s/);
  });

  it('refuses a duration outside 1–10 and empty text', async () => {
    for (const [fields, rule] of [
      [{ text: 'sneeze once', duration: '10.5' }, /duration: must be <= 10/],
      [{ text: 'sneeze once', duration: '0.5' }, /duration: must be >= 1/],
      [{ text: '' }, /^text: /],
    ] as const) {
      const res = await pico(hub, fields);
      assert.equal(res.status, 422);
      assert.match(await detailOf(res), rule);
    }
  });

  it('reports its denoising steps on the task stream', async () => {
    const task = await submit(hub, '/tta/picoaudio', { text: 'gunshot at 1-2', duration: 3, seed: 2 });
    const all = await (await openEventStream(hub, task.task_id)).events;
    assert.equal(all.at(-1)!.status, 'done', JSON.stringify(all.at(-1)));
    // The stream starts when the client subscribes: a quick smoke run may be past some steps.
    const steps = all.filter((e) => e.stage === 'denoise').map((e) => e.message);
    if (steps.length) assert.equal(steps.at(-1), `step ${STEPS} of ${STEPS}`);
    assert.ok(steps.every((m) => new RegExp(`^step \\d+ of ${STEPS}$`).test(m ?? '')), steps.join(', '));
  });
});
