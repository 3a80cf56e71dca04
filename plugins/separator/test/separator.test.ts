// The MDX-Net separator: its route on smoke graphs (shape-level facts), and its pipeline on a
// real pass-through graph (output = input), where the "vocals" must be the mix itself — the
// chunking, padding, [L.re, L.im, R.re, R.im] layout and stitching checked to 1e-4 — and the
// graph, having no smoke mark, reads as real weights (`unverified`: no checksum pinned), so the capability is offered for real.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import type { SourceSeparationCapability } from '../../../core/capabilities.ts';
import type { PluginRuntime } from '../../../core/plugin/runtime.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';
import { wavBytes } from '../../../test/support/wav.ts';
import { passthroughSeparatorBytes } from './passthrough-graph.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-separator.json');
/** Small settings so a test chunk is short: chunk = 256·(32 − 1) = 7936, gen = 7936 − 1024 = 6912. */
const SMALL = { mdx_n_fft_scale_set: 1024, hop: 256, mdx_dim_f_set: 384, mdx_dim_t_set: 5, primary_stem: 'Vocals', compensate: 1 };
/** Every bin kept (dim_f = n_fft/2 + 1): a real checkpoint drops those above dim_f, which would blur the step where the mix ends. */
const EXACT = { ...SMALL, mdx_dim_f_set: 513 };

function stereo(seconds: number, rate: number): Float32Array[] {
  const n = Math.round(seconds * rate);
  return [Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i * 0.031) + 0.1 * Math.sin(i * 0.7)), Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i * 0.031) - 0.1 * Math.sin(i * 0.23))];
}

describe('separator plugin (MDX-Net)', () => {
  let smoke: TestHub;
  let real: TestHub;
  before(async () => {
    [smoke, real] = await Promise.all([startTestHub({ registry: REGISTRY }), startTestHub({ registry: REGISTRY })]);
    const plugins = await loadPlugins(REGISTRY, ROOT);
    await installSmokeGraphs(smoke.dataDir, plugins);
    await writeFile(join(smoke.dataDir, 'models', 'separator', 'separator.json'), JSON.stringify(SMALL));
    const dir = join(real.dataDir, 'models', 'separator');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'separator.onnx'), passthroughSeparatorBytes(1));
    await writeFile(join(dir, 'separator.json'), JSON.stringify(EXACT));
  });
  after(() => Promise.all([smoke?.stop(), real?.stop()]));

  it('answers a stereo 44.1 kHz stem as long as the upload (smoke graph)', async () => {
    const body = new FormData();
    body.set('audio', new Blob([wavBytes(stereo(1, 22050), 22050)]), 'song.wav');
    body.set('stem', 'accompaniment');
    const res = await smoke.call('/api/audio/separate', { method: 'POST', body });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    const { audioChannels, sampleRate } = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
    assert.equal(sampleRate, 44100);
    assert.equal(audioChannels.length, 2);
    assert.equal(audioChannels[0]!.length, 44100);
  });

  it('gives the mix back through a pass-through graph: chunks, padding and layout are exact', async () => {
    const runtime = real.container.resolve<PluginRuntime>('runtime');
    assert.equal(runtime.weightState('separator'), 'unverified', 'real files, no checksum pinned: not smoke');
    const provider = runtime.list<SourceSeparationCapability>('source-separation').find((p) => p.plugin === 'separator')!;
    await provider.ready();
    const mix = stereo(0.5, 44100); // 22050 samples: four chunks, the last one padded
    const out = await provider.capability.separate({ channels: mix, sampleRate: 44100 }, provider.context({ signal: new AbortController().signal, requestId: 't' }));
    assert.equal(out.sampleRate, 44100);
    for (let ch = 0; ch < 2; ch++) {
      assert.equal(out.vocals[ch]!.length, mix[ch]!.length);
      let worst = 0;
      let at = 0;
      for (let i = 0; i < mix[ch]!.length; i++) {
        const error = Math.max(Math.abs(out.vocals[ch]![i]! - mix[ch]![i]!), Math.abs(out.accompaniment[ch]![i]!));
        if (error > worst) [worst, at] = [error, i];
      }
      assert.ok(worst < 1e-4, `channel ${ch}: max error ${worst} at sample ${at}`);
    }
  });
});
