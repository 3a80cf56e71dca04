// Token choice over one row of logits, with Hugging Face `transformers` semantics (the
// logits processors and warpers of generation/logits_process.py, applied in generate()'s
// order: repetition penalty, then temperature, top-k, top-p, min-p), and a seeded draw.
// Filtered entries become -Infinity, as `filter_value` does there.
import type { Random } from './rng.ts';

export interface SamplingSettings {
  /** 0 (or absent) chooses greedily. */
  readonly temperature?: number;
  /** Keep the k most likely (0: off). */
  readonly topK?: number;
  /** Keep the smallest set whose probability reaches p (1: off). */
  readonly topP?: number;
  /** Drop tokens below minP × the top probability (0: off). */
  readonly minP?: number;
  /** >1 discourages tokens already in the history (1: off). */
  readonly repetitionPenalty?: number;
  /** Tokens the filters always leave, as `min_tokens_to_keep`. */
  readonly minTokensToKeep?: number;
}

/** RepetitionPenaltyLogitsProcessor: a seen token's logit is divided by the penalty, or multiplied when negative. */
export function applyRepetitionPenalty(logits: Float32Array, history: ArrayLike<number>, penalty: number): Float32Array {
  if (penalty === 1) return logits;
  const seen = new Set<number>();
  for (let i = 0; i < history.length; i++) seen.add(history[i]!);
  for (const token of seen) {
    if (token < 0 || token >= logits.length) continue;
    const x = logits[token]!;
    logits[token] = x < 0 ? x * penalty : x / penalty;
  }
  return logits;
}

export function applyTemperature(logits: Float32Array, temperature: number): Float32Array {
  if (temperature === 1) return logits;
  for (let i = 0; i < logits.length; i++) logits[i] = logits[i]! / temperature;
  return logits;
}

/** TopKLogitsWarper: everything below the k-th largest value goes (ties with it stay). */
export function applyTopK(logits: Float32Array, k: number, minTokensToKeep = 1): Float32Array {
  const keep = Math.min(Math.max(k, minTokensToKeep), logits.length);
  if (k <= 0 || keep >= logits.length) return logits;
  const kth = Float32Array.from(logits).sort().at(-keep)!;
  for (let i = 0; i < logits.length; i++) if (logits[i]! < kth) logits[i] = -Infinity;
  return logits;
}

/** Indices by ascending logit, as torch.sort(descending=False) orders them (stable). */
function ascendingOrder(logits: Float32Array): Int32Array {
  const order = Int32Array.from({ length: logits.length }, (_, i) => i);
  return order.sort((a, b) => logits[a]! - logits[b]! || a - b);
}

/** TopPLogitsWarper: from the least likely up, drop tokens while their cumulative probability stays ≤ 1 − p. */
export function applyTopP(logits: Float32Array, p: number, minTokensToKeep = 1): Float32Array {
  if (p >= 1) return logits;
  const order = ascendingOrder(logits);
  const probs = softmax(logits);
  let cumulative = 0;
  for (let rank = 0; rank < order.length - minTokensToKeep; rank++) {
    cumulative += probs[order[rank]!]!;
    if (cumulative <= 1 - p) logits[order[rank]!] = -Infinity;
  }
  return logits;
}

/** MinPLogitsWarper: drop tokens whose probability is below minP × the top probability. */
export function applyMinP(logits: Float32Array, minP: number, minTokensToKeep = 1): Float32Array {
  if (minP <= 0) return logits;
  const probs = softmax(logits);
  let top = 0;
  for (const q of probs) if (q > top) top = q;
  const threshold = minP * top;
  const keepAnyway = new Set(Array.from(ascendingOrder(logits).slice(-minTokensToKeep)));
  for (let i = 0; i < logits.length; i++) if (probs[i]! < threshold && !keepAnyway.has(i)) logits[i] = -Infinity;
  return logits;
}

/** Softmax in float64 (max-subtracted); -Infinity gets probability 0. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Inverse-CDF draw from `probs` with one uniform number u in [0, 1). */
export function drawFrom(probs: ArrayLike<number>, u: number): number {
  let target = u;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i]! <= 0) continue;
    last = i;
    target -= probs[i]!;
    if (target < 0) return i;
  }
  return last; // rounding left a sliver: the last possible token
}

/** The logits after every enabled processor and warper, in generate()'s order (a copy). */
export function processLogits(logits: ArrayLike<number>, history: ArrayLike<number>, settings: SamplingSettings): Float32Array {
  const row = Float32Array.from(logits);
  const keep = settings.minTokensToKeep ?? 1;
  applyRepetitionPenalty(row, history, settings.repetitionPenalty ?? 1);
  if (!settings.temperature) return row;
  applyTemperature(row, settings.temperature);
  if (settings.topK) applyTopK(row, settings.topK, keep);
  if (settings.topP !== undefined) applyTopP(row, settings.topP, keep);
  if (settings.minP) applyMinP(row, settings.minP, keep);
  return row;
}

/** Chooses the next token: greedy at temperature 0, else a seeded draw from the warped distribution. */
export function sampleToken(logits: ArrayLike<number>, history: ArrayLike<number>, settings: SamplingSettings, random: Random): number {
  const row = processLogits(logits, history, settings);
  if (!settings.temperature) return argmax(row);
  return drawFrom(softmax(row), random());
}
