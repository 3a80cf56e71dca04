// The starting latent: standard normal noise from a seed, so `seed` reproduces a generation
// (torch's generator is not reproduced bit for bit; the distribution is what matters).
import { seededRandom } from '../../core/generation/rng.ts';

/** Box–Muller over the hub's seeded uniform source: n samples of N(0, 1). */
export function gaussianNoise(seed: number, n: number): Float32Array {
  const uniform = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - uniform())); // 1 − u lies in (0, 1]: no log(0)
    const angle = 2 * Math.PI * uniform();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < n) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}
