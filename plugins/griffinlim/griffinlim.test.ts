// Griffin-Lim needs no weights: a fresh hub turns a mel back into audio whose pitch is the
// original's, with each published mel convention.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { wavBlobFor, type TestHub } from '../../test/support/test-hub.ts';
import { detailOf, melData, npyBlob, post, startVocoderHub, wavOf } from '../mel-vocoder/test-support.ts';

/** Magnitude of the DFT of `x` at `frequency`, normalised by length. */
function tone(x: Float32Array, sampleRate: number, frequency: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * frequency * i) / sampleRate);
    im -= x[i]! * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  }
  return Math.hypot(re, im) / x.length;
}

describe('POST /api/vocoder/griffinlim', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startVocoderHub();
  });
  after(() => hub.stop());

  it('re-synthesises a 440 Hz tone as a 440 Hz tone', async () => {
    const res = await post(hub, '/api/vocoder/griffinlim', { blob: wavBlobFor({ seconds: 0.5, sampleRate: 22050, frequency: 440 }), name: 'a.wav' });
    assert.equal(res.headers.get('x-weight-state'), 'weight-free');
    const { samples, sampleRate } = await wavOf(res);
    assert.equal(sampleRate, 22050);
    // The strongest frequency between 100 Hz and 2 kHz (10 Hz steps) is the tone's, within a
    // mel band's resolution there (~30 Hz): pitch survives mel analysis and phase retrieval.
    let strongest = 0;
    for (let f = 100; f <= 2000; f += 10) if (tone(samples, sampleRate, f) > tone(samples, sampleRate, strongest || 100)) strongest = f;
    assert.ok(Math.abs(strongest - 440) <= 30, `strongest frequency ${strongest} Hz`);
    assert.ok(tone(samples, sampleRate, 440) > 5 * tone(samples, sampleRate, 880), 'no octave error');
  });

  it('inverts a .npy mel of the chosen preset at that preset’s rate', async () => {
    const res = await post(hub, '/api/vocoder/griffinlim', { blob: npyBlob(melData(100, 20), [100, 20]), name: 'mel.npy' }, { mel_preset: 'vocoder-24k-100', n_iter: '4' });
    const { samples, sampleRate } = await wavOf(res);
    assert.deepEqual([sampleRate, samples.length], [24000, 20 * 256]);
  });

  it("refuses a mel that does not have the preset's bins", async () => {
    const res = await post(hub, '/api/vocoder/griffinlim', { blob: npyBlob(melData(80, 20), [80, 20]), name: 'mel.npy' }, { mel_preset: 'vocoder-44k-128-256x' });
    assert.equal(res.status, 400);
    assert.match(await detailOf(res), /^audio: mel must have 128 bins/);
  });

});
