// The weight-free DSP: fast Griffin-Lim, mel inversion, WSOLA time-stretch, pitch shift,
// BS.1770 loudness, silence trimming and splitting at quiet points.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { griffinLim, melToLinear } from '../../core/audio/dsp/griffin-lim.ts';
import { integratedLoudness, normalizeLoudness, normalizePeak, peakOf } from '../../core/audio/dsp/loudness.ts';
import { melSpectrogram } from '../../core/audio/dsp/mel-spectrogram.ts';
import { findNonSilent, splitAtSilence } from '../../core/audio/dsp/silence.ts';
import { spectrogram } from '../../core/audio/dsp/stft.ts';
import { pitchShift } from '../../core/audio/dsp/pitch-shift.ts';
import { timeStretch } from '../../core/audio/dsp/time-stretch.ts';
import { dominantFrequency, tone } from './support/tones.ts';

const sr = 16000;
const sweep = Float32Array.from({ length: sr }, (_, i) => {
  const t = i / sr;
  return 0.3 * Math.sin(2 * Math.PI * (200 * t + 400 * t * t)) + 0.2 * Math.sin(2 * Math.PI * 700 * t);
});
const stftOptions = { nFft: 512, hop: 128 };

/** ‖|STFT(y)| − target‖ / ‖target‖: how well audio matches a magnitude spectrogram. */
function spectralConvergence(y: Float32Array, target: Float32Array): number {
  const m = spectrogram(y, stftOptions).data;
  let num = 0, den = 0;
  for (let i = 0; i < m.length; i++) (num += (m[i]! - target[i]!) ** 2), (den += target[i]! ** 2);
  return Math.sqrt(num / den);
}

describe('Griffin-Lim', () => {
  const magnitude = spectrogram(sweep, stftOptions);
  it('recovers audio whose magnitude matches better with more iterations, and better still with momentum', () => {
    const one = spectralConvergence(griffinLim(magnitude, { ...stftOptions, iterations: 1, momentum: 0, length: sweep.length }), magnitude.data);
    const plain = spectralConvergence(griffinLim(magnitude, { ...stftOptions, iterations: 24, momentum: 0, length: sweep.length }), magnitude.data);
    const fast = spectralConvergence(griffinLim(magnitude, { ...stftOptions, iterations: 24, momentum: 0.99, length: sweep.length }), magnitude.data);
    assert.ok(plain < one && fast < plain && fast < 0.2, `convergence 1 it ${one}, 24 it ${plain}, 24 it + momentum ${fast}`);
  });

  it('is deterministic for a seed and gives the requested length', () => {
    const a = griffinLim(magnitude, { ...stftOptions, iterations: 4, seed: 7, length: 15000 });
    const b = griffinLim(magnitude, { ...stftOptions, iterations: 4, seed: 7, length: 15000 });
    assert.equal(a.length, 15000);
    assert.deepEqual(a, b);
  });

  it('turns a log-mel back into audio with a close log-mel', () => {
    const melOptions = { ...stftOptions, sampleRate: sr, nMels: 80, log: { type: 'ln' as const, floor: 1e-5 }, normalize: { mean: -4, std: 2 } };
    const mel = melSpectrogram(sweep, melOptions);
    const audio = griffinLim(melToLinear(mel, melOptions), { ...stftOptions, length: sweep.length });
    const again = melSpectrogram(audio, melOptions);
    let error = 0;
    for (let i = 0; i < mel.data.length; i++) error += Math.abs(mel.data[i]! - again.data[i]!);
    // Normalised log-mel units (std 2): a mean error of 0.15 is ~0.3 nepers of level.
    assert.ok(error / mel.data.length < 0.15, `mean |Δ| ${error / mel.data.length}`);
  });
});

describe('time-stretch and pitch shift', () => {
  const a = tone({ sampleRate: sr, seconds: 2, frequency: 300 });
  for (const speed of [0.25, 0.5, 1.5, 4]) {
    it(`changes the duration by 1/${speed} and keeps a 300 Hz tone at 300 Hz`, () => {
      const y = timeStretch(a, sr, speed);
      assert.equal(y.length, Math.round(a.length / speed));
      assert.equal(dominantFrequency(y, sr, 100, 1000), 300);
    });
  }
  for (const semitones of [-24, -12, 7, 12, 24]) {
    it(`shifts a 300 Hz tone by ${semitones} semitones and keeps its duration`, () => {
      const y = pitchShift(a, sr, semitones);
      assert.equal(y.length, a.length);
      const expected = 300 * Math.pow(2, semitones / 12);
      const found = dominantFrequency(y, sr, 40, 7000);
      assert.ok(Math.abs(found - expected) <= Math.max(2, expected * 0.005), `found ${found} Hz, expected ${expected.toFixed(1)} Hz`);
    });
  }
  it('refuses speeds and shifts outside the supported ranges', () => {
    assert.throws(() => timeStretch(a, sr, 5), /speed must be within 0\.25–4\.0/);
    assert.throws(() => pitchShift(a, sr, 25), /semitones must be within −24…\+24/);
  });
});

describe('levels', () => {
  it('measures a 1 kHz sine at −20 dBFS as −23 LUFS (BS.1770), at any rate', () => {
    for (const rate of [16000, 48000]) {
      const lufs = integratedLoudness([tone({ sampleRate: rate, seconds: 3, frequency: 1000, amplitude: 0.1 })], rate);
      assert.ok(Math.abs(lufs + 23.0) < 0.15, `${rate} Hz: ${lufs} LUFS`);
    }
  });

  it('normalises loudness to a target, but never lets the peak pass the ceiling', () => {
    const quiet = tone({ sampleRate: 48000, seconds: 3, frequency: 1000, amplitude: 0.1 });
    const louder = normalizeLoudness([quiet], 48000, -16, -1);
    assert.ok(Math.abs(integratedLoudness(louder.channels, 48000) + 16) < 0.05);
    const capped = normalizeLoudness([quiet], 48000, -3, -1);
    assert.ok(Math.abs(20 * Math.log10(peakOf(capped.channels)) + 1) < 1e-3);
  });

  it('normalises the peak, and leaves silence silent', () => {
    const peak = peakOf(normalizePeak([tone({ sampleRate: sr, seconds: 0.5, frequency: 440, amplitude: 0.2 })], -3));
    assert.ok(Math.abs(20 * Math.log10(peak) + 3) < 1e-3);
    assert.equal(peakOf(normalizePeak([new Float32Array(100)])), 0);
    assert.equal(integratedLoudness([new Float32Array(sr)], sr), -Infinity);
  });
});

describe('silence', () => {
  const speech = tone({ sampleRate: sr, seconds: 1, frequency: 300 });
  it('trims leading and trailing silence, keeping a margin', () => {
    const x = new Float32Array(3 * sr);
    x.set(speech, sr);
    const { start, end } = findNonSilent(x, sr, { padMs: 50 });
    assert.ok(Math.abs(start - (sr - 800)) <= 320 && Math.abs(end - (2 * sr + 800)) <= 320, `${start}..${end}`);
  });

  it('cuts long audio into pieces under the limit, at the quiet gaps', () => {
    const x = new Float32Array(25 * sr);
    for (let s = 0; s < 25; s += 3) x.set(speech.subarray(0, Math.min(speech.length, x.length - s * sr)), s * sr);
    const segments = splitAtSilence(x, sr, { maxSeconds: 10 });
    assert.equal(segments[0]!.start, 0);
    assert.equal(segments.at(-1)!.end, x.length);
    for (let i = 0; i < segments.length; i++) {
      const { start, end } = segments[i]!;
      assert.ok(end - start <= 10 * sr);
      if (i > 0) assert.equal(start, segments[i - 1]!.end);
      // Each cut lies in a silent stretch (tones occupy [3k, 3k + 1) s).
      if (i < segments.length - 1) assert.ok((end / sr) % 3 >= 1, `cut at ${end / sr} s`);
    }
  });
});
