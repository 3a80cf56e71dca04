// The F0 extractor against Praat itself, and the chromagram and pitch shifter against
// numpy re-implementations of librosa 0.11 (scripts/reference/pitch-chroma-fixtures.py).
// Tolerances are the agreement reached, stated in each test's name.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { chromagram } from '../../core/audio/dsp/chroma.ts';
import { estimatePitch } from '../../core/audio/dsp/f0.ts';
import { pitchShift } from '../../core/audio/dsp/pitch-shift.ts';
import type { PadMode } from '../../core/audio/feature-types.ts';
import { decodeArray, referenceSignal, sungSignal, type SignalSpec, type StoredArray, type SungSpec } from './support/reference-signals.ts';

type Spec = ({ kind: 'reference' } & SignalSpec) | ({ kind: 'sung' } & SungSpec);
interface Fixtures {
  pitch: Record<string, { signal: Spec; startSeconds: number; f0: number[] }>;
  chroma: Record<string, { signal: Spec; nFft: number; hop: number; nChroma: number; padMode: PadMode; tuning: number; expected: StoredArray }>;
  shift: Record<string, { signal: Spec; semitones: number; expected: StoredArray }>;
  shiftStride: number;
}
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/pitch-chroma.json', import.meta.url), 'utf8')) as Fixtures;
const signalOf = (spec: Spec) => (spec.kind === 'reference' ? referenceSignal(spec) : sungSignal(spec));

describe('F0 against Praat 6.3 "To Pitch (ac)" (16 kHz, 0.016 s, 50–1100 Hz, voicing threshold 0.6)', () => {
  for (const [name, c] of Object.entries(fixtures.pitch)) {
    it(`${name}: same frames and voicing decisions, voiced F0 within 2e-6 relative (Praat's values are stored to 4 decimals)`, () => {
      const track = estimatePitch(signalOf(c.signal), c.signal.sampleRate);
      assert.equal(track.f0.length, c.f0.length);
      assert.ok(Math.abs(track.startSeconds - c.startSeconds) < 1e-9);
      let worst = 0;
      c.f0.forEach((expected, i) => {
        const found = track.f0[i]!;
        assert.equal(found > 0, expected > 0, `frame ${i}: found ${found} Hz, Praat ${expected} Hz`);
        if (expected > 0) worst = Math.max(worst, Math.abs(found / expected - 1));
      });
      assert.ok(worst < 2e-6, `worst relative error ${worst}`);
    });
  }
});

describe('chromagram against librosa 0.11 chroma_stft (numpy re-implementation)', () => {
  for (const [name, c] of Object.entries(fixtures.chroma)) {
    it(`${name}: same estimated tuning, values within 1e-6 (librosa's float32)`, () => {
      const found = chromagram(signalOf(c.signal), c.signal.sampleRate, { nFft: c.nFft, hop: c.hop, nChroma: c.nChroma, padMode: c.padMode });
      assert.equal(found.tuning.toFixed(6), c.tuning.toFixed(6));
      const expected = decodeArray(c.expected);
      assert.deepEqual(found.dims, c.expected.shape);
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(found.data[i]! - expected[i]!));
      assert.ok(worst < 1e-6, `max abs error ${worst}`);
    });
  }
});

describe('pitch shift against librosa 0.11 effects.pitch_shift (numpy re-implementation, torchaudio resampling)', () => {
  for (const [name, c] of Object.entries(fixtures.shift)) {
    it(`${name}: every ${fixtures.shiftStride}th sample within 1e-6`, () => {
      const y = pitchShift(signalOf(c.signal), c.signal.sampleRate, c.semitones);
      const expected = decodeArray(c.expected);
      assert.equal(Math.ceil(y.length / fixtures.shiftStride), expected.length);
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(y[i * fixtures.shiftStride]! - expected[i]!));
      assert.ok(worst < 1e-6, `max abs error ${worst}`);
    });
  }
});
