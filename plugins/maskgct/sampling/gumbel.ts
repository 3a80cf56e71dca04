// Gumbel-max sampling (`gumbel_noise`, `gumbel_sample` in maskgct_t2s.py): adding Gumbel
// noise to logits/temperature and taking the argmax draws an id from softmax(logits/temperature).
import type { Random } from './random.ts';

/** The original's epsilon inside both logarithms, so u = 0 gives a large finite value, not Infinity. */
const EPS = 1e-10;

/** -log(-log(u)) for a uniform u ∈ [0, 1), with the original's epsilon. */
export function gumbelNoise(u: number): number {
  return -Math.log(-Math.log(u + EPS) + EPS);
}

/** Index of the first largest value (`argmax` keeps the first of equal maxima). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * argmax(logits / temperature + g) with one Gumbel draw per entry, in entry order. The
 * caller passes the top-k candidates only: ids outside the top k are -Infinity in the
 * original and can never win, so drawing noise for them changes nothing.
 */
export function gumbelArgmax(logits: ArrayLike<number>, temperature: number, random: Random): number {
  const scale = 1 / Math.max(temperature, 1e-10);
  let best = 0;
  let bestScore = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const score = logits[i]! * scale + gumbelNoise(random.uniform());
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/** softmax(logits)[index], stable: the sampled id's probability among the candidates. */
export function softmaxAt(logits: ArrayLike<number>, index: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += Math.exp(logits[i]! - max);
  return Math.exp(logits[index]! - max) / total;
}
