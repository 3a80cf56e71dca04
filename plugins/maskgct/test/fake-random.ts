// A stand-in for the seeded generator that hands out chosen uniforms, so a test can say
// exactly what Gumbel noise each draw gets. Real seeded runs use makeRandom.
import type { Random } from '../sampling/random.ts';

/** u for which gumbelNoise(u) ≈ g (inverse of -log(-log u)). */
export const uniformFor = (g: number) => Math.exp(-Math.exp(-g));

/** Hands out `values` in order, then `fallback` forever; counts the draws. */
export function scriptedRandom(values: readonly number[] = [], fallback = uniformFor(0)): Random & { draws: number } {
  let i = 0;
  const random = {
    seed: 0,
    draws: 0,
    nextUint32: () => 0,
    uniform() {
      random.draws++;
      return i < values.length ? values[i++]! : fallback;
    },
  };
  return random;
}
