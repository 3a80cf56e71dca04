// The resampler against torchaudio.functional.resample's own output
// (scripts/reference/resample-fixtures.py), plus the properties every caller relies on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { resample, resampledLength } from '../../core/audio/resample.ts';
import { rms, tone } from './support/tones.ts';
import { decodeArray, maxAbsError, referenceSignal, type SignalSpec, type StoredArray } from './support/reference-signals.ts';

type Case = { signal: SignalSpec; to: number; expected: StoredArray };
const stored = JSON.parse(readFileSync(new URL('fixtures/resample.json', import.meta.url), 'utf8')) as Record<string, Case | Record<string, string>>;
const cases = Object.entries(stored).filter((entry): entry is [string, Case] => 'signal' in entry[1]);

describe('resampling against torchaudio.functional.resample', () => {
  it('covers the rate pairs the issue names', () => {
    for (const name of ['44100_24000', '16000_24000', '24000_16000']) assert.ok(stored[name], name);
  });
  for (const [name, { signal, to, expected }] of cases) {
    it(`matches ${signal.sampleRate} → ${to} Hz within 1e-4`, () => {
      const out = resample(referenceSignal(signal), signal.sampleRate, to);
      const error = maxAbsError(out, decodeArray(expected));
      assert.ok(error <= 1e-4, `${name}: max abs error ${error}`);
    });
  }
});

describe('resampling', () => {
  for (const [from, to] of [[44100, 24000], [16000, 22050], [48000, 16000], [22050, 24000]] as const) {
    it(`gives exactly ceil(n·${to}/${from}) samples, aligned, with a 1 kHz tone intact (${from} → ${to})`, () => {
      const input = tone({ sampleRate: from, seconds: 0.7, frequency: 1000 });
      const out = resample(input, from, to);
      assert.equal(out.length, resampledLength(input.length, from, to));
      const expected = tone({ sampleRate: to, seconds: 0.7, frequency: 1000 });
      let max = 0;
      for (let i = 200; i < out.length - 200; i++) max = Math.max(max, Math.abs(out[i]! - expected[i]!));
      assert.ok(max < 1e-3, `max deviation ${max}`);
    });
  }

  it('removes a tone above the new Nyquist frequency (no aliasing)', () => {
    const input = tone({ sampleRate: 48000, seconds: 0.5, frequency: 15000 });
    const out = resample(input, 48000, 16000);
    assert.ok(rms(out, 500, out.length - 500) < 1e-3 * rms(input));
  });

  it('copies when the rates are equal and handles clips shorter than the filter', () => {
    const input = tone({ sampleRate: 24000, seconds: 0.1, frequency: 440 });
    const same = resample(input, 24000, 24000);
    assert.deepEqual(same, input);
    assert.notEqual(same, input);
    assert.equal(resample(input.subarray(0, 3), 44100, 24000).length, 2);
    assert.equal(resample(new Float32Array(0), 16000, 24000).length, 0);
  });

  it('refuses rates outside 1–768 kHz', () => {
    assert.throws(() => resample(new Float32Array(10), 24000, 100), /target rate must be an integer from 1000/);
    assert.throws(() => resample(new Float32Array(10), 22050.5, 16000), /source rate must be an integer/);
  });
});
