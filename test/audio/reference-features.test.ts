// The feature functions against values computed by torch / torchaudio
// (scripts/reference/make-fixtures.py): STFT of non-power-of-two sizes, mel in both
// conventions, the vocoder and Whisper log-mels, Kaldi fbank and its stacked variant.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kaldiFbank, stackedFbank } from '../../core/audio/dsp/kaldi-fbank.ts';
import { denseFilterbank, melFilterbank } from '../../core/audio/dsp/mel-filterbank.ts';
import { melSpectrogram } from '../../core/audio/dsp/mel-spectrogram.ts';
import { stft } from '../../core/audio/dsp/stft.ts';
import { decodeArray, loadSpectra, maxAbsError, referenceSignal, type SignalSpec, type StoredArray } from './support/reference-signals.ts';

const cases = loadSpectra();
const signalOf = (name: string) => referenceSignal(cases[name]!.signal as SignalSpec);
const expected = (name: string, key = 'expected') => decodeArray(cases[name]![key] as StoredArray);
const shape = (name: string, key = 'expected') => (cases[name]![key] as StoredArray).shape;
const LOG_MEL_TOLERANCE = 1e-4;

describe('STFT against torch.stft', () => {
  for (const name of ['stft_1920_center_reflect', 'stft_400_center_constant']) {
    it(`matches ${name} in real and imaginary parts`, () => {
      const params = cases[name]!.params as { nFft: number; hop: number; center: boolean; padMode: 'reflect' | 'constant' };
      const spec = stft(signalOf(name), params);
      assert.deepEqual([...spec.dims], shape(name, 're'));
      // Spectral values reach ~|X| = 500 for these signals; float32 storage limits agreement.
      assert.ok(maxAbsError(spec.re, expected(name, 're')) < 2e-4);
      assert.ok(maxAbsError(spec.im, expected(name, 'im')) < 2e-4);
    });
  }
});

describe('mel filterbanks against torchaudio.functional.melscale_fbanks', () => {
  const params = cases.mel_filterbanks_8000_64_10!.params as { sampleRate: number; nFft: number; nMels: number; fMin: number; fMax: number };
  it('builds the Slaney-scale, Slaney-normalised bank (librosa default)', () => {
    const bank = denseFilterbank(melFilterbank({ ...params, melScale: 'slaney', melNorm: 'slaney' }));
    assert.ok(maxAbsError(bank, expected('mel_filterbanks_8000_64_10', 'slaney')) < 1e-7);
  });
  it('builds the HTK-scale bank without normalisation (torchaudio default)', () => {
    const bank = denseFilterbank(melFilterbank({ ...params, melScale: 'htk', melNorm: 'none' }));
    assert.ok(maxAbsError(bank, expected('mel_filterbanks_8000_64_10', 'htk')) < 1e-6);
  });
});

describe('log-mel spectrograms against torch', () => {
  const vocoderMel = (name: string) => {
    const p = cases[name]!.params as { sampleRate: number; nFft: number; hop: number; nMels: number; fMin: number; fMax: number };
    return melSpectrogram(signalOf(name), {
      ...p, center: false, pad: (p.nFft - p.hop) / 2, padMode: 'reflect', power: 1, magnitudeEpsilon: 1e-9, log: { type: 'ln', floor: 1e-5 },
    });
  };
  it('matches the 22.05 kHz / 80-bin vocoder log-mel (reflect pad, ln clamp 1e-5) within 1e-4', () => {
    const mel = vocoderMel('log_mel_22050_80_slaney');
    assert.deepEqual([...mel.dims], shape('log_mel_22050_80_slaney'));
    assert.ok(maxAbsError(mel.data, expected('log_mel_22050_80_slaney')) <= LOG_MEL_TOLERANCE);
  });
  it('matches the 24 kHz / 128-bin log-mel with n_fft 1920, hop 480 within 1e-4', () => {
    const mel = vocoderMel('log_mel_24000_128_slaney_1920');
    assert.deepEqual([...mel.dims], shape('log_mel_24000_128_slaney_1920'));
    assert.ok(maxAbsError(mel.data, expected('log_mel_24000_128_slaney_1920')) <= LOG_MEL_TOLERANCE);
  });
  it('matches torchaudio MelSpectrogram defaults (HTK, no norm, power 2, centred) within 1e-4 in log', () => {
    const p = cases.power_mel_16000_64_htk!.params as { sampleRate: number; nFft: number; hop: number; nMels: number; fMin: number; fMax: number };
    const mel = melSpectrogram(signalOf('power_mel_16000_64_htk'), { ...p, center: true, padMode: 'reflect', power: 2, melScale: 'htk', melNorm: 'none', log: { type: 'ln', floor: 1e-5 } });
    assert.deepEqual([...mel.dims], shape('power_mel_16000_64_htk'));
    assert.ok(maxAbsError(mel.data, expected('power_mel_16000_64_htk')) <= LOG_MEL_TOLERANCE);
  });
  for (const nMels of [80, 128]) {
    it(`matches the Whisper log-mel with ${nMels} bins (log10, max − 8, (x + 4)/4) within 1e-4`, () => {
      const name = `whisper_log_mel_${nMels}`;
      const mel = melSpectrogram(signalOf(name), {
        sampleRate: 16000, nFft: 400, hop: 160, nMels, center: true, padMode: 'reflect', power: 2, dropLastFrame: true,
        log: { type: 'log10', floor: 1e-10, dynamicRange: 8, offset: 4, scale: 0.25 },
      });
      assert.deepEqual([...mel.dims], shape(name));
      assert.ok(maxAbsError(mel.data, expected(name)) <= LOG_MEL_TOLERANCE);
    });
  }
});

describe('Kaldi fbank against torchaudio.compliance.kaldi.fbank', () => {
  const seamless = { sampleRate: 16000, numMelBins: 80, preemphasis: 0.97, removeDcOffset: true, window: 'povey', lowFreq: 20, highFreq: 8000 } as const;
  it('matches 80-bin fbank (25 ms / 10 ms, Povey, preemphasis 0.97, DC removal) within 1e-4', () => {
    const fbank = kaldiFbank(signalOf('kaldi_fbank_80'), seamless);
    assert.deepEqual([...fbank.dims], shape('kaldi_fbank_80'));
    assert.ok(maxAbsError(fbank.data, expected('kaldi_fbank_80')) <= LOG_MEL_TOLERANCE);
  });
  it('matches the stacked front end: per-bin norm (ddof 1), even padding, pairs → 160 dims', () => {
    const features = stackedFbank(signalOf('stacked_fbank_160'), { ...seamless, stack: 2, normalize: { perBin: true, ddof: 1, epsilon: 1e-7 } });
    assert.deepEqual([...features.dims], shape('stacked_fbank_160'));
    assert.ok(maxAbsError(features.data, expected('stacked_fbank_160')) <= LOG_MEL_TOLERANCE);
  });
});
