import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { annealedTemperature, cosineMaskRatio, maskedCount, sineMaskRatio, timeGrid } from '../sampling/schedule.ts';

describe('the mask schedule', () => {
  it('runs time from 1 to 0 in equal steps, with n + 1 points', () => {
    assert.deepEqual(timeGrid(4), [1, 0.75, 0.5, 0.25, 0]);
    assert.deepEqual(timeGrid(1), [1, 0]);
    assert.equal(timeGrid(25).length, 26);
  });

  it('masks sin(t·π/2) of the tokens: all at t = 1, none at t = 0, √½ at t = ½', () => {
    assert.equal(sineMaskRatio(1), 1);
    assert.equal(sineMaskRatio(0), 0);
    assert.equal(sineMaskRatio(0.5), Math.fround(Math.SQRT1_2));
  });

  it('is the cosine schedule of MaskGIT written in t = 1 - progress', () => {
    for (const r of [0, 0.1, 0.25, 0.5, 0.9, 1]) assert.ok(Math.abs(cosineMaskRatio(r) - sineMaskRatio(1 - r)) < 1e-6, String(r));
  });

  it('counts masked tokens by truncation: 10 tokens over 4 steps leave 10, 9, 7, 3, 0', () => {
    assert.deepEqual(timeGrid(4).map((t) => maskedCount(t, 10)), [10, 9, 7, 3, 0]);
    assert.deepEqual(timeGrid(3).map((t) => maskedCount(t, 10)), [10, 8, 5, 0]);
  });

  it('agrees with torch float32 where double precision would not (t = 1 - 22/33, 100 tokens → 50)', () => {
    // torch 1.13: (torch.sin(torch.ones(1) * t * np.pi / 2) * 100).long() == 50; double gives 49.
    const t = timeGrid(33)[22]!;
    assert.equal(Math.trunc(Math.sin((t * Math.PI) / 2) * 100), 49);
    assert.equal(maskedCount(t, 100), 50);
  });

  it('anneals the sampling temperature linearly with t', () => {
    assert.equal(annealedTemperature(0.9, 1), 0.9);
    assert.equal(annealedTemperature(1.5, 0.5), 0.75);
    assert.equal(annealedTemperature(0.7, 0), 0);
  });

  it('refuses a step count below one', () => {
    assert.throws(() => timeGrid(0), RangeError);
  });
});
