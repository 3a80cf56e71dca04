// HiFi-GAN on its smoke graph: what the route takes and gives, shape for shape, and the
// checkpoint family read from an installed weight folder. Audio values are meaningless here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { wavBlobFor, type TestHub } from '../../test/support/test-hub.ts';
import { detailOf, installAsCheckpoint, melData, npyBlob, post, startVocoderHub, wavOf } from '../mel-vocoder/test-support.ts';

describe('POST /api/vocoder/hifigan', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startVocoderHub();
  });
  after(() => hub.stop());

  it('turns an [80, frames] mel into 256 samples per frame at 22.05 kHz', async () => {
    const res = await post(hub, '/api/vocoder/hifigan', { blob: npyBlob(melData(80, 40), [80, 40]), name: 'mel.npy' });
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    assert.equal(res.headers.get('x-vocoder-family'), 'v1');
    const { samples, sampleRate } = await wavOf(res);
    assert.equal(sampleRate, 22050);
    assert.equal(samples.length, 40 * 256);
  });

  it('takes the [1, 80, frames] layout too', async () => {
    const { samples } = await wavOf(await post(hub, '/api/vocoder/hifigan', { blob: npyBlob(melData(80, 9), [1, 80, 9]), name: 'mel.npy' }));
    assert.equal(samples.length, 9 * 256);
  });

  it('re-synthesises audio through its mel: one frame per 256 input samples', async () => {
    // 1 s at 44.1 kHz is resampled to 22050 samples, which make floor(22050 / 256) = 86 frames.
    const { samples, sampleRate } = await wavOf(await post(hub, '/api/vocoder/hifigan', { blob: wavBlobFor({ seconds: 1, sampleRate: 44100 }), name: 'a.wav' }));
    assert.equal(sampleRate, 22050);
    assert.equal(samples.length, 86 * 256);
  });

  it('refuses a mel with the wrong bins, saying what it expected', async () => {
    const res = await post(hub, '/api/vocoder/hifigan', { blob: npyBlob(melData(100, 10), [100, 10]), name: 'mel.npy' });
    assert.equal(res.status, 400);
    assert.equal(await detailOf(res), 'audio: mel must have 80 bins, shape [80, frames] or [1, 80, frames]; found [100, 10]');
  });

  it('refuses a float64 .npy, naming expected and found dtypes', async () => {
    const bytes = npyBlob(new Float32Array(160), [80, 1]);
    const raw = new Uint8Array(await bytes.arrayBuffer());
    const text = new TextDecoder('latin1').decode(raw).replace("'<f4'", "'<f8'");
    const res = await post(hub, '/api/vocoder/hifigan', { blob: new Blob([Uint8Array.from(text, (c) => c.charCodeAt(0))]), name: 'mel.npy' });
    assert.equal(res.status, 400);
    assert.match(await detailOf(res), /^audio: \.npy dtype must be float32 little-endian \('<f4'\); found '<f8' \(float64\)$/);
  });

  it('refuses audio too short for one mel frame', async () => {
    const res = await post(hub, '/api/vocoder/hifigan', { blob: wavBlobFor({ seconds: 0.005, sampleRate: 22050 }), name: 'a.wav' });
    assert.equal(res.status, 400);
    assert.match(await detailOf(res), /^audio: audio of 110 samples at 22050 Hz is too short/);
  });

  it('encodes other formats on request', async () => {
    const res = await post(hub, '/api/vocoder/hifigan', { blob: npyBlob(melData(80, 20), [80, 20]), name: 'mel.npy' }, { response_format: 'flac' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'audio/flac');
  });

  it('vocodes a long mel in pieces, with the exact length and no jump at the seams', async () => {
    const frames = 2300; // three pieces of at most 1024 frames
    const { samples } = await wavOf(await post(hub, '/api/vocoder/hifigan', { blob: npyBlob(melData(80, frames), [80, frames]), name: 'mel.npy' }));
    assert.equal(samples.length, frames * 256);
    const jump = (from: number, to: number) => {
      let worst = 0;
      for (let t = from + 1; t < to; t++) worst = Math.max(worst, Math.abs(samples[t]! - samples[t - 1]!));
      return worst;
    };
    const inside = jump(100 * 256, 900 * 256);
    for (const seam of [1024, 2048]) assert.ok(jump((seam - 8) * 256, (seam + 8) * 256) <= 2 * inside + 0.02, `seam at frame ${seam}`);
  });

  it('reads the checkpoint family from an installed config.json', async () => {
    const restore = await installAsCheckpoint(hub, 'hifigan', {
      resblock: '2', upsample_rates: [8, 8, 4], upsample_initial_channel: 256, num_mels: 80,
      sampling_rate: 22050, n_fft: 1024, hop_size: 256, win_size: 1024, fmin: 0, fmax: 8000,
    });
    try {
      const res = await post(hub, '/api/vocoder/hifigan', { blob: npyBlob(melData(80, 5), [80, 5]), name: 'mel.npy' });
      assert.equal(res.headers.get('x-weight-state'), 'unverified', 'the registry pins no sha256 for these files');
      assert.equal(res.headers.get('x-vocoder-family'), 'v3');
      assert.equal((await wavOf(res)).samples.length, 5 * 256);
    } finally {
      await restore();
    }
  });

  it('answers 503 naming config.json when it describes a checkpoint the graph cannot be', async () => {
    const restore = await installAsCheckpoint(hub, 'hifigan', { sampling_rate: 22050, num_mels: 100, n_fft: 1024, hop_size: 256, win_size: 1024, fmax: 8000 });
    try {
      const res = await post(hub, '/api/vocoder/hifigan', { blob: npyBlob(melData(100, 5), [100, 5]), name: 'mel.npy' });
      assert.equal(res.status, 503);
      assert.match(await detailOf(res), /hifigan\/config\.json: family custom takes 100 mels, but the graph contract takes 80/);
    } finally {
      await restore();
    }
  });
});
