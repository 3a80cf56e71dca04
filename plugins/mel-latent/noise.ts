// The starting latent: standard normal noise from a seed, so `seed` reproduces a generation
// (torch's generator is not reproduced bit for bit; the distribution is what matters).
import { gaussianStream, seededRandom } from '../../core/generation/rng.ts';

/** Box–Muller over the hub's seeded uniform source: n samples of N(0, 1). */
export function gaussianNoise(seed: number, n: number): Float32Array {
  return gaussianStream(seededRandom(seed))(n);
}
