import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argmax, gumbelArgmax, gumbelNoise, softmaxAt } from '../sampling/gumbel.ts';
import { makeRandom } from '../sampling/random.ts';
import { scriptedRandom, uniformFor } from './fake-random.ts';

const close = (actual: number, expected: number, tolerance = 1e-12) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≉ ${expected}`);

describe('Gumbel-max sampling', () => {
  it('turns u = 1/e into noise (e - 1)·1e-10: zero but for the original epsilon', () => {
    // -log(e⁻¹ + ε) ≈ 1 - e·ε, so the result is -log(1 - (e - 1)·ε) ≈ (e - 1)·ε
    close(gumbelNoise(Math.exp(-1)), (Math.E - 1) * 1e-10, 1e-16);
  });

  it('inverts -log(-log u)', () => {
    for (const g of [-2, 0, 0.5, 3]) close(gumbelNoise(uniformFor(g)), g, 1e-6); // the epsilon shifts it by ~1e-8
  });

  it('stays finite at u = 0', () => {
    assert.ok(Number.isFinite(gumbelNoise(0)));
  });

  it('takes the first of equal maxima, as argmax does', () => {
    assert.equal(argmax([3, 1, 3]), 0);
    assert.equal(argmax([-Infinity, 2, 5, 5]), 2);
  });

  it('picks the largest logit when the noise is flat', () => {
    assert.equal(gumbelArgmax([1, 2, 0], 1, scriptedRandom()), 1);
  });

  it('lets noise overturn the logits: [1, 2, 0] + [0, 0, 5] picks the third', () => {
    assert.equal(gumbelArgmax([1, 2, 0], 1, scriptedRandom([uniformFor(0), uniformFor(0), uniformFor(5)])), 2);
  });

  it('divides logits by the temperature before adding noise', () => {
    // [1, 0] + [0, 1.5]: at temperature 1 the noise wins (1.5 > 1); at 0.5 the logits do (2 > 1.5)
    const noise = () => scriptedRandom([uniformFor(0), uniformFor(1.5)]);
    assert.equal(gumbelArgmax([1, 0], 1, noise()), 1);
    assert.equal(gumbelArgmax([1, 0], 0.5, noise()), 0);
  });

  it('draws one uniform per candidate', () => {
    const random = scriptedRandom();
    gumbelArgmax([1, 2, 3, 4], 1, random);
    assert.equal(random.draws, 4);
  });

  it('samples in proportion to softmax(logits / temperature)', () => {
    const random = makeRandom(1);
    const counts = [0, 0];
    for (let i = 0; i < 20000; i++) counts[gumbelArgmax([0, Math.log(3)], 1, random)]!++;
    close(counts[1]! / 20000, 0.75, 0.02);
  });

  it('gives the softmax probability of one entry', () => {
    close(softmaxAt([0, Math.log(3)], 1), 0.75);
    close(softmaxAt([0, 0, 0, 0], 2), 0.25);
    close(softmaxAt([1000, 1000], 0), 0.5);
  });
});
