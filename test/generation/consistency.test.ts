// The consistency-model sampler's schedule and scalings (Song et al. 2023 with Karras et al.
// 2022's EDM parametrisation): f is the identity at σ_min, one step runs at σ_max, several
// steps follow the Karras spacing from σ_max down.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consistencyOutput, consistencyScalings, consistencySigmas, karrasSigmas } from '../../core/generation/consistency.ts';

const edm = { sigmaData: 0.5, sigmaMin: 0.002, sigmaMax: 80, rho: 7 };

describe('consistency sampler', () => {
  it('is the identity at σ_min (c_skip 1, c_out 0)', () => {
    const s = consistencyScalings(edm.sigmaMin, edm);
    assert.ok(Math.abs(s.cSkip - 1) < 1e-4);
    assert.equal(s.cOut, 0);
    assert.deepEqual([...consistencyOutput([1, 2], [5, 5], s)].map((v) => Math.round(v * 1e4) / 1e4), [1, 2]);
  });

  it('gives ln(σ)/4 as the noise input and 1/√(σ² + σ_d²) as the input scale', () => {
    const s = consistencyScalings(80, edm);
    assert.ok(Math.abs(s.cNoise - Math.log(80) / 4) < 1e-12);
    assert.ok(Math.abs(s.cIn - 1 / Math.sqrt(6400.25)) < 1e-12);
  });

  it('runs one step at σ_max, and n steps at the Karras σ’s from σ_max without σ_min', () => {
    assert.deepEqual(consistencySigmas(1, edm), [80]);
    const k = karrasSigmas(4, edm);
    assert.equal(k.length, 5);
    assert.ok(Math.abs(k[0]! - 80) < 1e-9 && Math.abs(k[4]! - 0.002) < 1e-12);
    assert.ok(k.every((v, i) => i === 0 || v < k[i - 1]!));
    assert.deepEqual(consistencySigmas(4, edm), k.slice(0, 4));
    assert.throws(() => consistencySigmas(0, edm), RangeError);
  });
});
