// NSF-HiFiGAN on its smoke graph, over HTTP: its own route and `vocoder_name=nsf_hifigan` on
// /api/vocoder/generic, with F0 uploaded or tracked on the audio, and the refusals that name
// the `f0` field. Audio values are meaningless; that F0 reaches the graph is checked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeNpyFloat32 } from '../mel-vocoder/npy.ts';
import { detailOf, melData, npyBlob, startVocoderHub, wavOf } from '../mel-vocoder/test-support.ts';
import { sine, wavBytes } from '../../test/support/wav.ts';
import type { TestHub } from '../../test/support/test-hub.ts';

const f0Blob = (values: number[]) => new Blob([writeNpyFloat32(Float32Array.from(values), [values.length])]);

describe('NSF-HiFiGAN (smoke graph)', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startVocoderHub();
  });
  after(() => hub.stop());

  const call = (path: string, files: Record<string, [Blob, string]>, fields: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    for (const [k, [blob, name]] of Object.entries(files)) form.set(k, blob, name);
    return hub.call(path, { method: 'POST', body: form });
  };

  it('vocodes a [100, frames] mel with its F0 into 256 samples per frame at 24 kHz; the F0 reaches the generator', async () => {
    const mel: [Blob, string] = [npyBlob(melData(100, 12), [100, 12]), 'mel.npy'];
    const low = await wavOf(await call('/api/vocoder/nsf-hifigan', { audio: mel, f0: [f0Blob(Array(12).fill(110)), 'f0.npy'] }));
    const high = await wavOf(await call('/api/vocoder/nsf-hifigan', { audio: mel, f0: [f0Blob(Array(12).fill(440)), 'f0.npy'] }));
    assert.equal(low.sampleRate, 24000);
    assert.equal(low.samples.length, 12 * 256);
    assert.notDeepEqual(low.samples, high.samples);
  });

  it('tracks F0 on a recording when no f0 is uploaded', async () => {
    const audio = new Blob([wavBytes(sine({ seconds: 0.5, sampleRate: 24000, frequency: 220, amplitude: 0.5 }), 24000)]);
    const { samples } = await wavOf(await call('/api/vocoder/nsf-hifigan', { audio: [audio, 'a.wav'] }));
    assert.equal(samples.length, 46 * 256);
  });

  it('is reachable as vocoder_name=nsf_hifigan on /api/vocoder/generic', async () => {
    const res = await call('/api/vocoder/generic', { audio: [npyBlob(melData(100, 8), [100, 8]), 'mel.npy'], f0: [f0Blob(Array(8).fill(200)), 'f0.npy'] }, { vocoder_name: 'nsf_hifigan' });
    assert.equal(res.headers.get('x-vocoder'), 'nsf_hifigan');
    assert.equal((await wavOf(res)).samples.length, 8 * 256);
  });

  it('refuses a .npy mel without F0 with 422 naming `f0`', async () => {
    for (const path of ['/api/vocoder/generic', '/api/vocoder/nsf-hifigan']) {
      const res = await call(path, { audio: [npyBlob(melData(100, 8), [100, 8]), 'mel.npy'] }, path.endsWith('generic') ? { vocoder_name: 'nsf_hifigan' } : {});
      assert.equal(res.status, 422);
      assert.match(await detailOf(res), /^f0: /);
    }
  });

  it('refuses F0 of the wrong length or with negative values, naming `f0`', async () => {
    const mel: [Blob, string] = [npyBlob(melData(100, 8), [100, 8]), 'mel.npy'];
    const short = await call('/api/vocoder/nsf-hifigan', { audio: mel, f0: [f0Blob(Array(7).fill(200)), 'f0.npy'] });
    assert.equal(short.status, 422);
    assert.equal(await detailOf(short), 'f0: F0 has 7 values; the mel has 8 frames and needs one F0 value (Hz, 0 = unvoiced) per frame');
    const negative = await call('/api/vocoder/nsf-hifigan', { audio: mel, f0: [f0Blob([200, 200, -1, 200, 200, 200, 200, 200]), 'f0.npy'] });
    assert.equal(negative.status, 422);
    assert.match(await detailOf(negative), /^f0: F0 must be finite Hz ≥ 0; found -1 at frame 2/);
  });

  it('refuses a file that is not a .npy as `f0` with 415 naming the field', async () => {
    const res = await call('/api/vocoder/generic', { audio: [npyBlob(melData(100, 8), [100, 8]), 'mel.npy'], f0: [new Blob(['not numpy']), 'f0.npy'] }, { vocoder_name: 'nsf_hifigan' });
    assert.equal(res.status, 415);
    assert.match(await detailOf(res), /^f0/);
  });
});
