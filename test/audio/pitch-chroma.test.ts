// F0, chromagram and pitch shift: the facts a caller relies on (tones found at their pitch,
// silence and noise unvoiced, chroma at the right pitch class, a +12-semitone shift doubling
// the measured F0), and the toolkit methods running them in the worker pool.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { decodeAudioBytes } from '../../core/audio/decode/decode-audio.ts';
import { chromagram } from '../../core/audio/dsp/chroma.ts';
import { estimatePitch, medianInterpolatedF0, medianVoicedF0 } from '../../core/audio/dsp/f0.ts';
import { pitchShift } from '../../core/audio/dsp/pitch-shift.ts';
import { makeAudioToolkit } from '../../core/audio/make-audio-toolkit.ts';
import { loadConfig } from '../../core/config/load-config.ts';
import { lcgNoise } from './support/reference-signals.ts';
import { tone } from './support/tones.ts';

const sr = 16000;
/** A tone with two harmonics, so the fundamental is not the only strong peak. */
const voiced = (frequency: number, seconds = 1, rate = sr) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => {
    const phase = (2 * Math.PI * frequency * i) / rate;
    return 0.4 * Math.sin(phase) + 0.2 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase);
  });

describe('pitch (F0) extraction', () => {
  for (const frequency of [55, 110, 220, 440, 880]) {
    it(`finds a ${frequency} Hz harmonic tone within 0.1 %, every frame voiced`, () => {
      const track = estimatePitch(voiced(frequency), sr);
      assert.equal(track.hopSeconds, 256 / sr);
      assert.equal(track.f0.length, Math.floor((1 - 3 / 50) / track.hopSeconds) + 1); // as many 60 ms windows as fit
      assert.ok(track.f0.every((f) => f > 0));
      const median = medianVoicedF0(track)!;
      assert.ok(Math.abs(median / frequency - 1) < 1e-3, `median ${median} Hz`);
    });
  }

  it('finds no pitch in silence or white noise (no median to report)', () => {
    assert.equal(medianVoicedF0(estimatePitch(new Float32Array(sr), sr)), undefined);
    const noise = Float32Array.from(lcgNoise(2 * sr, 5), (v) => 0.5 * v);
    assert.equal(medianVoicedF0(estimatePitch(noise, sr)), undefined);
    assert.equal(estimatePitch(new Float32Array(100), sr).f0.length, 0, 'shorter than one window: no frames');
  });

  it('fills unvoiced gaps by interpolation for the interpolated median', () => {
    const track = { f0: Float32Array.from([0, 100, 0, 0, 200, 0]) };
    assert.equal(medianVoicedF0(track), 150);
    // filled: 100 100 133.3 166.7 200 200 → median of the middle two
    assert.ok(Math.abs(medianInterpolatedF0(track)! - 150) < 1e-9);
    assert.equal(medianInterpolatedF0({ f0: new Float32Array(3) }), undefined);
  });
});

describe('chromagram', () => {
  it('puts a 440 Hz tone in pitch class A, frames ∞-normalised, tuning near 0', () => {
    const x = voiced(440, 1, 24000);
    const c = chromagram(x, 24000, { nFft: 1920, hop: 480, nChroma: 12 });
    const [bins, frames] = c.dims;
    assert.deepEqual([bins, frames], [12, 1 + Math.floor(x.length / 480)]);
    // Parabolic peak interpolation on a power spectrum is biased off-bin (librosa's too): ±0.07 bin.
    assert.ok(Math.abs(c.tuning) <= 0.07, `tuning ${c.tuning}`);
    const t = Math.floor(frames / 2);
    const column = Array.from({ length: bins }, (_, b) => c.data[b * frames + t]!);
    assert.equal(column.indexOf(Math.max(...column)), 9); // C C# D D# E F F# G G# A
    assert.equal(Math.max(...column), 1);
  });

  it('estimates the tuning of a tone a quarter-bin sharp, and leaves silent frames at zero', () => {
    const x = voiced(440 * Math.pow(2, 0.25 / 24), 1, 24000);
    const c = chromagram(x, 24000, { nFft: 1920, hop: 480, nChroma: 24 });
    assert.ok(Math.abs(c.tuning - 0.25) <= 0.07, `tuning ${c.tuning}`);
    const silent = chromagram(new Float32Array(4800), 24000, { nFft: 1920, hop: 480, nChroma: 24 });
    assert.equal(silent.tuning, 0);
    assert.ok(silent.data.every((v) => v === 0));
  });
});

const ESPEAK = '/usr/bin/espeak-ng';
const medianRatio = (x: Float32Array, y: Float32Array) => medianVoicedF0(estimatePitch(y, sr))! / medianVoicedF0(estimatePitch(x, sr))!;

describe('pitch shift', () => {
  it('moves the median F0 of a harmonic tone by a factor within 2 % of 2.0 at +12 semitones, same length', () => {
    const x = voiced(150, 2);
    const y = pitchShift(x, sr, 12);
    assert.equal(y.length, x.length);
    const ratio = medianRatio(x, y);
    assert.ok(Math.abs(ratio / 2 - 1) < 0.02, `ratio ${ratio}`);
  });

  it('moves the median F0 of espeak-ng speech by a factor within 2 % of 2.0 at +12 semitones', async (t) => {
    if (!existsSync(ESPEAK) && !process.env.CI) return t.skip(`${ESPEAK} is not installed`);
    const wav = execFileSync(ESPEAK, ['--stdout', '-v', 'en-us', 'The quick brown fox jumps over the lazy dog, and sings a little song.']);
    const pcm = await decodeAudioBytes(new Uint8Array(wav), { format: 'wav', field: 'speech', maxSeconds: 30, mono: true, sampleRate: sr });
    const x = pcm.channels[0]!;
    const ratio = medianRatio(x, pitchShift(x, sr, 12));
    assert.ok(Math.abs(ratio / 2 - 1) < 0.02, `ratio ${ratio}`);
  });
});

describe('pitch and chroma in the worker pool', async () => {
  const audio = makeAudioToolkit({ config: loadConfig({ env: { NODE_ENV: 'test' }, overrides: { logLevel: 'silent', audio: { workers: 1 } } }) });
  after(() => audio.close());

  it('returns the same track and chromagram as the functions they wrap', async () => {
    const x = tone({ sampleRate: sr, seconds: 0.5, frequency: 200 });
    const track = await audio.pitch(x, sr, { hop: 160 });
    assert.deepEqual(track, estimatePitch(x, sr, { hop: 160 }));
    const c = await audio.chroma(x, sr, { nFft: 1024, hop: 256, nChroma: 12 });
    const direct = chromagram(x, sr, { nFft: 1024, hop: 256, nChroma: 12 });
    assert.deepEqual(c, { data: direct.data, dims: direct.dims });
  });
});
