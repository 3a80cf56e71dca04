// A seeded source of uniform numbers, so that `seed` makes a whole synthesis reproducible.
// xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c) seeded
// through SplitMix32; all arithmetic is 32-bit, which JavaScript does exactly with Math.imul
// and `>>> 0`. Bit-for-bit parity with torch's generator is impossible and not attempted.

export interface Random {
  /** The seed this generator started from (sent back as `X-Seed`). */
  readonly seed: number;
  /** Next unsigned 32-bit integer. */
  nextUint32(): number;
  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number;
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** SplitMix32 (the 32-bit variant of Steele et al.'s SplitMix): spreads one seed into state words. */
function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** The bare xoshiro128** step over four 32-bit state words (not all zero). */
export function xoshiro128StarStar(state: readonly [number, number, number, number]): () => number {
  let [s0, s1, s2, s3] = state.map((w) => w >>> 0) as [number, number, number, number];
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };
}

export function makeRandom(seed: number): Random {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in 0..4294967295, got ${seed}`);
  const mix = splitMix32(seed);
  const next = xoshiro128StarStar([mix(), mix(), mix(), mix()]);
  return {
    seed,
    nextUint32: next,
    uniform() {
      // 27 + 26 bits, as numpy's random_double builds a double from two 32-bit draws.
      const high = next() >>> 5;
      const low = next() >>> 6;
      return (high * 67108864 + low) / 9007199254740992;
    },
  };
}

/** A fresh seed when the client gave none; it is reported back so the output can be reproduced. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 0x100000000);
}
