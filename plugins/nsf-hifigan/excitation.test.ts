// The NSF excitation's shape-level facts (the torch comparison is in export/export.test.ts):
// voiced frames carry sines at k·F0 with amplitude 0.1 starting at their phases, unvoiced
// frames only noise of amplitude 0.1/3, and the layout is [samples × (harmonics + 1)].
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../core/generation/rng.ts';
import { drawRandomness, sineExcitation } from './excitation.ts';

const options = { sampleRate: 24000, upp: 256, harmonics: 2 };

describe('sineExcitation', () => {
  it('gives each harmonic k·F0 at amplitude 0.1, sample-major', () => {
    const frames = 40;
    const out = sineExcitation(new Array(frames).fill(300), options, { phases: new Float32Array(3) });
    assert.equal(out.length, frames * 256 * 3);
    for (const h of [0, 1, 2]) {
      let crossings = 0;
      let peak = 0;
      for (let j = 1; j < frames * 256; j++) {
        const a = out[(j - 1) * 3 + h]!;
        const b = out[j * 3 + h]!;
        if (a < 0 && b >= 0) crossings++;
        peak = Math.max(peak, Math.abs(b));
      }
      // (h + 1)·300 Hz over 40·256/24000 s
      assert.ok(Math.abs(crossings - ((h + 1) * 300 * frames * 256) / 24000) <= 1, `harmonic ${h}: ${crossings} cycles`);
      assert.ok(Math.abs(peak - 0.1) < 1e-3);
    }
  });

  it('starts each harmonic at its initial phase; the fundamental at 0', () => {
    const out = sineExcitation([200, 200], options, { phases: Float32Array.of(0, 0.25, 0.5) });
    const rad = (h: number) => (((h + 1) * 200) / 24000 + [0, 0.25, 0.5][h]!) % 1;
    for (const h of [0, 1, 2]) assert.ok(Math.abs(out[h]! - 0.1 * Math.sin(2 * Math.PI * rad(h))) < 1e-6);
  });

  it('leaves unvoiced frames to noise of amplitude 0.1/3 and voiced ones to σ = 0.003', () => {
    const f0 = [0, 0, 0, 0, 220, 220, 220, 220];
    const randomness = drawRandomness(seededRandom(1), f0.length, options);
    const noisy = sineExcitation(f0, options, randomness);
    const clean = sineExcitation(f0, options, { phases: randomness.phases });
    const rms = (from: number, to: number, a: Float32Array, b?: Float32Array) => {
      let sum = 0;
      for (let i = from * 3; i < to * 3; i++) sum += (a[i]! - (b ? b[i]! : 0)) ** 2;
      return Math.sqrt(sum / ((to - from) * 3));
    };
    assert.ok(clean.subarray(0, 4 * 256 * 3).every((v) => v === 0));
    assert.ok(Math.abs(rms(0, 4 * 256, noisy) - 0.1 / 3) < 0.003);
    assert.ok(Math.abs(rms(4 * 256, 8 * 256, noisy, clean) - 0.003) < 0.0005);
  });
});
