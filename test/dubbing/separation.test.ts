// Separation for dubs: the weight-free centre extraction takes a centred tone as the vocal and
// leaves stereo noise to the accompaniment (the two always sum back to the mix); and a hub
// with a separator holding real weights (a pass-through graph here) separates with it, prefers
// a singing converter (a test fixture) to Vevo's speech one, and records both in the dub.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AudioToolkit } from '../../core/audio/toolkit.ts';
import { centreExtraction } from '../../core/surfaces/dubbing/separation.ts';
import { passthroughSeparatorBytes } from '../../plugins/separator/test/passthrough-graph.ts';
import type { TestHub } from '../support/test-hub.ts';
import { api, makeVoice, put, songWav, startDubbingHub, until, voiceWav } from './support.ts';

const energy = (x: Float32Array) => x.reduce((s, v) => s + v * v, 0);

describe('separation for dubs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startDubbingHub({ registry: join(import.meta.dirname, 'fixtures', 'registry-separator.json') });
    const dir = join(hub.dataDir, 'models', 'separator');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'separator.onnx'), passthroughSeparatorBytes(0.5));
    await writeFile(join(dir, 'separator.json'), JSON.stringify({ mdx_n_fft_scale_set: 1024, hop: 256, mdx_dim_f_set: 513, mdx_dim_t_set: 5, compensate: 1 }));
  });
  after(() => hub?.stop());

  it('centre extraction: the centred tone goes to the vocal, the side noise stays, and the stems sum to the mix', async () => {
    const audio = hub.container.resolve<AudioToolkit>('audio');
    const n = 44100;
    const tone = Float32Array.from({ length: n }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 330 * i) / 44100));
    let state = 7;
    const noise = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 0.2 - 0.1;
    const left = Float32Array.from(tone, (v) => v + noise());
    const right = Float32Array.from(tone, (v) => v + noise());
    const { vocals, accompaniment } = await centreExtraction(audio, { channels: [left, right], sampleRate: 44100 });
    const residual = Float32Array.from(vocals[0]!, (v, i) => v - tone[i]!);
    assert.ok(energy(residual) < 0.1 * energy(tone), `vocal − tone is ${(10 * Math.log10(energy(residual) / energy(tone))).toFixed(1)} dB`);
    for (let i = 0; i < n; i += 997) assert.ok(Math.abs(vocals[0]![i]! + accompaniment[0]![i]! - left[i]!) < 1e-6);
    const mono = await centreExtraction(audio, { channels: [tone], sampleRate: 44100 });
    assert.deepEqual([energy(mono.accompaniment[0]!), energy(mono.vocals[0]!) === energy(tone)], [0, true], 'mono: all vocal');
  });

  it('uses a separator with real weights and a singing converter over a speech one, and names both in the dub', async () => {
    const voice = await makeVoice(hub, [voiceWav(3, 200)]);
    const created = await api(hub, 'POST', '/v1/me/dubs', { voiceId: voice.id });
    await put(created.json.uploadUrl, songWav(2));
    await api(hub, 'POST', `/v1/me/dubs/${created.json.dub.id}/preprocess`);
    const dub = await until(hub, `/v1/me/dubs/${created.json.dub.id}`, 'dub', ['preprocessed']);
    assert.equal(dub.separationMethod, 'separator');
    assert.equal(dub.inputDuration, 2000);
    await api(hub, 'POST', `/v1/me/dubs/${dub.id}/generate`);
    const done = await until(hub, `/v1/me/dubs/${dub.id}`, 'dub', ['done']);
    assert.equal(done.conversionEngine, 'test-singer', 'the singing converter, though Vevo (speech) comes first in the registry');
  });
});
