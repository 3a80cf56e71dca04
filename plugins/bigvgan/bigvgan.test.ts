// BigVGAN on its smoke graphs: the default family (v2 24 kHz, 100 bands), the mel bins, rate
// and family following an installed checkpoint's config.json, and the 512x plugin.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { wavBlobFor, type TestHub } from '../../test/support/test-hub.ts';
import { detailOf, installAsCheckpoint, melData, npyBlob, post, startVocoderHub, wavOf } from '../mel-vocoder/test-support.ts';

const base22k = {
  resblock: '1', num_mels: 80, upsample_rates: [8, 8, 2, 2], upsample_kernel_sizes: [16, 16, 4, 4], upsample_initial_channel: 512,
  activation: 'snakebeta', snake_logscale: true, sampling_rate: 22050, n_fft: 1024, hop_size: 256, win_size: 1024, fmin: 0, fmax: 8000,
};

describe('POST /api/vocoder/bigvgan and /api/vocoder/bigvgan-512x', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startVocoderHub();
  });
  after(() => hub.stop());

  it('runs smoke graphs as bigvgan_v2_24khz_100band_256x: 100 bins in, 24 kHz out', async () => {
    const res = await post(hub, '/api/vocoder/bigvgan', { blob: npyBlob(melData(100, 30), [100, 30]), name: 'mel.npy' });
    assert.equal(res.headers.get('x-vocoder-family'), 'bigvgan_v2_24khz_100band_256x');
    const { samples, sampleRate } = await wavOf(res);
    assert.deepEqual([sampleRate, samples.length], [24000, 30 * 256]);
  });

  it('re-synthesises audio at the family rate', async () => {
    // 0.5 s at 16 kHz becomes 12000 samples at 24 kHz: floor(12000 / 256) = 46 frames.
    const { samples, sampleRate } = await wavOf(await post(hub, '/api/vocoder/bigvgan', { blob: wavBlobFor({ seconds: 0.5, sampleRate: 16000 }), name: 'a.wav' }));
    assert.deepEqual([sampleRate, samples.length], [24000, 46 * 256]);
  });

  it("refuses a mel with another family's bins", async () => {
    const res = await post(hub, '/api/vocoder/bigvgan', { blob: npyBlob(melData(80, 10), [80, 10]), name: 'mel.npy' });
    assert.equal(res.status, 400);
    assert.match(await detailOf(res), /^audio: mel must have 100 bins, shape \[100, frames\] or \[1, 100, frames\]; found \[80, 10\]$/);
  });

  it('follows an installed 22 kHz, 80-band checkpoint: its bins, its rate, its family', async () => {
    const restore = await installAsCheckpoint(hub, 'bigvgan', base22k);
    try {
      const res = await post(hub, '/api/vocoder/bigvgan', { blob: npyBlob(melData(80, 12), [80, 12]), name: 'mel.npy' });
      assert.equal(res.headers.get('x-vocoder-family'), 'bigvgan_base_22khz_80band');
      const { samples, sampleRate } = await wavOf(res);
      assert.deepEqual([sampleRate, samples.length], [22050, 12 * 256]);
    } finally {
      await restore();
    }
  });

  it('serves the 512x checkpoint as its own plugin: 128 bins in, 512 samples per frame at 44.1 kHz', async () => {
    const res = await post(hub, '/api/vocoder/bigvgan-512x', { blob: npyBlob(melData(128, 7), [128, 7]), name: 'mel.npy' });
    assert.equal(res.headers.get('x-vocoder-family'), 'bigvgan_v2_44khz_128band_512x');
    const { samples, sampleRate } = await wavOf(res);
    assert.deepEqual([sampleRate, samples.length], [44100, 7 * 512]);
    // 0.5 s at 44.1 kHz: floor(22050 / 512) = 43 frames.
    const resynthesised = await wavOf(await post(hub, '/api/vocoder/bigvgan-512x', { blob: wavBlobFor({ seconds: 0.5, sampleRate: 44100 }), name: 'a.wav' }));
    assert.equal(resynthesised.samples.length, 43 * 512);
  });

  it('answers 503 when the 256x plugin is given the 512x checkpoint, whose hop its contract does not describe', async () => {
    const restore = await installAsCheckpoint(hub, 'bigvgan', {
      ...base22k, num_mels: 128, sampling_rate: 44100, n_fft: 2048, win_size: 2048, hop_size: 512, fmax: null,
      upsample_rates: [8, 4, 2, 2, 2, 2], upsample_initial_channel: 1536, use_tanh_at_final: false,
    });
    try {
      const res = await post(hub, '/api/vocoder/bigvgan', { blob: npyBlob(melData(128, 4), [128, 4]), name: 'mel.npy' });
      assert.equal(res.status, 503);
      assert.match(await detailOf(res), /bigvgan\/config\.json: family custom has hop 512, but the graph contract makes 256 samples per frame/);
    } finally {
      await restore();
    }
  });
});
