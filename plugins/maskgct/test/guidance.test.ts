import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifierFreeGuidance, standardDeviation } from '../sampling/guidance.ts';

const f32 = (values: number[]) => Float32Array.from(values);
const closeAll = (actual: Float32Array, expected: number[]) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) < 1e-6, `[${i}] ${actual[i]} ≉ ${e}`));

describe('classifier-free guidance with rescale', () => {
  it('uses the sample standard deviation (n - 1), as Tensor.std() does', () => {
    assert.equal(standardDeviation([1, 2, 3]), 1);
    assert.equal(standardDeviation([1, 3]), Math.SQRT2);
    assert.equal(standardDeviation([5]), 0);
  });

  it('extrapolates away from the unconditional pass: g = c + s·(c - u)', () => {
    closeAll(classifierFreeGuidance(f32([1, 2, 3]), f32([0, 0, 0]), 1, 0), [2, 4, 6]);
  });

  it('rescales fully back to the conditional spread at rescale 1', () => {
    // std(c) = 1, std(g) = 2 → g/2
    closeAll(classifierFreeGuidance(f32([1, 2, 3]), f32([0, 0, 0]), 1, 1), [1, 2, 3]);
  });

  it('mixes rescaled and plain guidance: 0.75·[1, 2, 3] + 0.25·[2, 4, 6]', () => {
    closeAll(classifierFreeGuidance(f32([1, 2, 3]), f32([0, 0, 0]), 1, 0.75), [1.25, 2.5, 3.75]);
  });

  it('gives 13/28 and 26/7 for the defaults (scale 2.5, rescale 0.75) on c = [1, 3], u = [1, 1]', () => {
    // g = [1, 8]; std(c) = √2, std(g) = 3.5·√2 → 0.75·g/3.5 + 0.25·g
    closeAll(classifierFreeGuidance(f32([1, 3]), f32([1, 1]), 2.5, 0.75), [13 / 28, 26 / 7]);
  });

  it('leaves a constant tensor as it is instead of dividing by a zero spread', () => {
    closeAll(classifierFreeGuidance(f32([2, 2]), f32([1, 1]), 1, 0.75), [3, 3]);
  });

  it('refuses passes of different sizes', () => {
    assert.throws(() => classifierFreeGuidance(f32([1]), f32([1, 2]), 1, 1), RangeError);
  });
});
