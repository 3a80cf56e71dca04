// Parts of the pitch shifter's stages, made on their own (as the audio toolkit makes them on
// several workers), are bit for bit the slices of the whole: the inverse STFT's
// overlap-add, the phase vocoder, the resampler and the pitch shift itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { istft, overlapAdd } from '../../core/audio/dsp/istft.ts';
import { phaseVocoderStretch } from '../../core/audio/dsp/phase-vocoder.ts';
import { pitchShift, pitchShiftRange } from '../../core/audio/dsp/pitch-shift.ts';
import { pitchShiftParts } from '../../core/audio/dsp/pitch-shift-parts.ts';
import { stft } from '../../core/audio/dsp/stft.ts';
import { resampleInputSpan, resampleSpan, resampleToLength } from '../../core/audio/resample.ts';

/** A chirp with a little noise, so no two frames are alike. */
function signal(length: number, seed = 1): Float32Array {
  const x = new Float32Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 16807) % 2147483647;
    x[i] = 0.4 * Math.sin(2 * Math.PI * (200 * i + 0.002 * i * i) / 24000) + 0.05 * (state / 2147483647 - 0.5);
  }
  return x;
}

/** Indices where `part` differs from whole[start…] (Object.is: a different bit pattern counts). */
function differences(part: Float32Array, whole: Float32Array, start: number): number {
  let count = 0;
  for (let i = 0; i < part.length; i++) if (!Object.is(part[i], whole[start + i])) count++;
  return count;
}

const x = signal(24000 * 3 + 77);
const ranges = (length: number) => [[0, 1], [0, 5000], [4097, 4098], [1234, 20000], [length - 3000, length], [length, length], [0, length]] as const;

describe('parts of the pitch shifter are slices of the whole, bit for bit', () => {
  it('the inverse STFT over a sample range', () => {
    const spec = stft(x, { nFft: 1024, hop: 256, window: 'hann', center: true });
    const options = { nFft: 1024, hop: 256, window: 'hann' as const, center: true };
    const whole = istft(spec, options);
    const [bins, frames] = spec.dims;
    for (const [start, end] of ranges(whole.length)) {
      const part = overlapAdd(bins, frames, options, (t, re, im) => {
        for (let k = 0; k < bins; k++) (re[k] = spec.re[k * frames + t]!), (im[k] = spec.im[k * frames + t]!);
      }, { start, end });
      assert.equal(part.length, end - start);
      assert.equal(differences(part, whole, start), 0, `samples ${start}..${end}`);
    }
    assert.throws(() => overlapAdd(bins, frames, options, () => {}, { start: 10, end: whole.length + 1 }), /not within/);
  });

  for (const rate of [0.5, 0.749, 1.3]) {
    it(`the phase vocoder at rate ${rate}, whose later parts carry the phases of all steps before them`, () => {
      const whole = phaseVocoderStretch(x, rate);
      for (const [start, end] of ranges(whole.length)) {
        assert.equal(differences(phaseVocoderStretch(x, rate, {}, { start, end }), whole, start), 0, `samples ${start}..${end}`);
      }
    });
  }

  it('the resampler, from only the input samples a range reads', () => {
    const from = 32037, to = 24000;
    const whole = resampleToLength(x, from, to, 60000);
    for (const [start, end] of ranges(whole.length)) {
      const need = resampleInputSpan(x.length, from, to, start, Math.min(end, Math.ceil((x.length * to) / from)));
      const part = resampleSpan({ samples: x.slice(need.start, need.end), offset: need.start, length: x.length }, from, to, whole.length, start, end);
      assert.equal(differences(part, whole, start), 0, `samples ${start}..${end}`);
    }
    const need = resampleInputSpan(x.length, from, to, 1000, 2000);
    assert.throws(() => resampleSpan({ samples: x.slice(need.start + 1, need.end), offset: need.start + 1, length: x.length }, from, to, whole.length, 1000, 2000), /are needed/);
  });

  for (const semitones of [-7, 5, 12]) {
    it(`the pitch shift by ${semitones} semitones, over the ranges the toolkit gives its workers`, () => {
      const whole = pitchShift(x, 24000, semitones);
      for (const parts of [2, 3]) {
        const split = pitchShiftParts(x.length, 6000, parts); // as if 6 kHz: long enough for three parts
        assert.equal(split.length, parts);
        for (const range of split) assert.equal(differences(pitchShiftRange(x, 24000, semitones, range), whole, range.start), 0, `${range.start}..${range.end}`);
      }
    });
  }
});

describe('pitchShiftParts', () => {
  it('tiles the output, later parts shorter (they also carry the steps before them)', () => {
    const split = pitchShiftParts(24000 * 60, 24000, 4);
    assert.equal(split.length, 4);
    assert.equal(split[0]!.start, 0);
    assert.equal(split.at(-1)!.end, 24000 * 60);
    for (let i = 1; i < split.length; i++) {
      assert.equal(split[i]!.start, split[i - 1]!.end);
      assert.ok(split[i]!.end - split[i]!.start < split[i - 1]!.end - split[i - 1]!.start);
    }
  });

  it('does not split short signals or for one worker', () => {
    assert.deepEqual(pitchShiftParts(24000 * 3, 24000, 2), [{ start: 0, end: 72000 }]);
    assert.deepEqual(pitchShiftParts(24000 * 60, 24000, 1), [{ start: 0, end: 1440000 }]);
    assert.equal(pitchShiftParts(24000 * 9, 24000, 8).length, 2);
  });
});
