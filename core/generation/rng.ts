// Seeded uniform random numbers, so a seed reproduces a sampled output exactly (in a worker
// or on the main thread alike). xoshiro128** (Blackman & Vigna), seeded through splitmix32.
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result / 4294967296;
  };
}

/**
 * Standard normal draws by Box–Muller over a uniform source, n at a time; successive calls
 * continue the same stream (the starting latent, then each DDPM step's noise).
 */
export function gaussianStream(uniform: Random): (n: number) => Float32Array {
  return (n) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      const radius = Math.sqrt(-2 * Math.log(1 - uniform())); // 1 − u lies in (0, 1]: no log(0)
      const angle = 2 * Math.PI * uniform();
      out[i] = radius * Math.cos(angle);
      if (i + 1 < n) out[i + 1] = radius * Math.sin(angle);
    }
    return out;
  };
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** A seed for a request that sent none (handed back, e.g. as X-Seed, so it can be repeated). */
export const freshSeed = () => Math.floor(Math.random() * 2 ** 32);
