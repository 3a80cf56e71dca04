// FFT of any size against a direct DFT, and the STFT → iSTFT round trip, which must give
// the signal back (exact overlap-add with window-envelope normalisation).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ComplexFft } from '../../core/audio/dsp/fft.ts';
import { RealFft } from '../../core/audio/dsp/real-fft.ts';
import { istft } from '../../core/audio/dsp/istft.ts';
import { stft } from '../../core/audio/dsp/stft.ts';
import { makeWindow } from '../../core/audio/dsp/windows.ts';
import { lcgNoise } from './support/reference-signals.ts';

function directDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n), outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      outRe[k]! += re[t]! * Math.cos(a) - im[t]! * Math.sin(a);
      outIm[k]! += re[t]! * Math.sin(a) + im[t]! * Math.cos(a);
    }
  }
  return [outRe, outIm];
}

describe('the FFT', () => {
  for (const n of [1, 2, 3, 12, 400, 1920, 97, 1021, 512, 2048]) {
    it(`matches a direct DFT for length ${n} and inverts exactly`, () => {
      const re = Float64Array.from(lcgNoise(n, n)), im = Float64Array.from(lcgNoise(n, n + 1));
      const [er, ei] = directDft(re, im);
      const fft = new ComplexFft(n);
      const r = re.slice(), i = im.slice();
      fft.forward(r, i);
      for (let k = 0; k < n; k++) {
        assert.ok(Math.abs(r[k]! - er[k]!) < 1e-9 * n && Math.abs(i[k]! - ei[k]!) < 1e-9 * n, `bin ${k}`);
      }
      fft.inverse(r, i);
      for (let k = 0; k < n; k++) assert.ok(Math.abs(r[k]! - re[k]!) < 1e-12 && Math.abs(i[k]! - im[k]!) < 1e-12);
    });
  }

  for (const n of [400, 401, 2]) {
    it(`gives rfft-style half spectra for ${n} real samples, equal to the complex FFT, and irfft back`, () => {
      const x = Float64Array.from(lcgNoise(n, 3));
      const fft = new RealFft(n);
      const re = new Float64Array(fft.bins), im = new Float64Array(fft.bins);
      fft.forward(x, re, im);
      assert.equal(fft.bins, Math.floor(n / 2) + 1);
      const [er, ei] = directDft(x, new Float64Array(n));
      for (let k = 0; k < fft.bins; k++) assert.ok(Math.abs(re[k]! - er[k]!) < 1e-9 && Math.abs(im[k]! - ei[k]!) < 1e-9, `bin ${k}`);
      const back = new Float64Array(n);
      fft.inverse(re, im, back);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(back[i]! - x[i]!) < 1e-12);
    });
  }
});

describe('windows', () => {
  it('makes periodic Hann (torch.hann_window) and Kaldi Povey windows', () => {
    const hann = makeWindow('hann', 4, true);
    assert.deepEqual([...hann].map((v) => Math.round(v * 1e12) / 1e12), [0, 0.5, 1, 0.5]);
    const povey = makeWindow('povey', 5);
    assert.ok(Math.abs(povey[2]! - 1) < 1e-12 && povey[0] === 0 && Math.abs(povey[1]! - Math.pow(0.5, 0.85)) < 1e-12);
  });
});

describe('STFT → iSTFT', () => {
  const signal = Float32Array.from(lcgNoise(24000, 9), (v) => v * 0.5);
  for (const [nFft, hop] of [[1920, 480], [400, 160], [1024, 256], [512, 128]] as const) {
    it(`reconstructs the signal for n_fft ${nFft}, hop ${hop}, centred with reflect padding`, () => {
      const spec = stft(signal, { nFft, hop, center: true, padMode: 'reflect' });
      const back = istft(spec, { nFft, hop, center: true, length: signal.length });
      assert.equal(back.length, signal.length);
      let max = 0;
      for (let i = 0; i < signal.length; i++) max = Math.max(max, Math.abs(back[i]! - signal[i]!));
      assert.ok(max < 1e-5, `max error ${max}`);
    });
  }

  it('gives exactly frames × hop samples with "same" padding (center off, pad (n_fft − hop)/2)', () => {
    const nFft = 1920, hop = 480;
    const x = signal.subarray(0, 480 * 50);
    const options = { nFft, hop, center: false, pad: (nFft - hop) / 2 };
    const spec = stft(x, options);
    assert.equal(spec.dims[1], 50);
    const back = istft(spec, options);
    assert.equal(back.length, 50 * hop);
    let max = 0;
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(back[i]! - x[i]!));
    assert.ok(max < 1e-5, `max error ${max}`);
  });

  it('centres a shorter window in n_fft and still inverts', () => {
    const spec = stft(signal, { nFft: 1024, hop: 200, winLength: 800 });
    const back = istft(spec, { nFft: 1024, hop: 200, winLength: 800, length: signal.length });
    let max = 0;
    for (let i = 0; i < signal.length; i++) max = Math.max(max, Math.abs(back[i]! - signal[i]!));
    assert.ok(max < 1e-5, `max error ${max}`);
  });

  it('refuses impossible parameters with a message naming them', () => {
    assert.throws(() => stft(signal, { nFft: 512, hop: 0 }), /hop must be a positive integer/);
    assert.throws(() => stft(signal, { nFft: 512, hop: 128, winLength: 600 }), /winLength/);
  });
});
