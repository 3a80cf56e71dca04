// Confidence-based re-masking (the end of each `reverse_diffusion` step): every newly
// sampled token gets a confidence, its probability plus Gumbel noise scaled by the choice
// temperature (1·t); of the positions masked during this step, the least confident go
// back under the mask, as many as the schedule says stay masked at the next time.

/** Confidence of a sampled token: `prob + choice_temp · gumbel`. */
export function confidence(probability: number, gumbel: number, choiceTemperature: number): number {
  return probability + choiceTemperature * gumbel;
}

/**
 * The new mask: `count` of the currently masked positions, least confident first (ties:
 * lower position first). Unmasked positions are never re-masked, as the original fills
 * their scores with -max before its top-k.
 */
export function selectRemasked(confidences: ArrayLike<number>, masked: Uint8Array, count: number): Uint8Array {
  const candidates: number[] = [];
  for (let i = 0; i < masked.length; i++) if (masked[i]) candidates.push(i);
  if (count > candidates.length) throw new RangeError(`re-mask: ${count} positions asked for, only ${candidates.length} are masked`);
  candidates.sort((a, b) => confidences[a]! - confidences[b]! || a - b);
  const next = new Uint8Array(masked.length);
  for (let i = 0; i < count; i++) next[candidates[i]!] = 1;
  return next;
}
