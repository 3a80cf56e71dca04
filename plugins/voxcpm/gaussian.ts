// Seeded standard-normal noise for the CFM start point (`torch.randn` in unified_cfm.py):
// Box–Muller over the engine's seeded uniform source, so a seed reproduces a synthesis
// (bit-parity with torch's generator is not possible and not attempted).
import type { Random } from '../../core/generation/rng.ts';

export function gaussianNoise(random: Random, count: number, scale = 1): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    // 1 − u keeps the logarithm finite (u may be 0, never 1).
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle) * scale;
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle) * scale;
  }
  return out;
}
