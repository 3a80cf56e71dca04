// The rules Whisper's decoder applies to the logits before choosing a token
// (openai/whisper `decoding.py`: SuppressBlank, SuppressTokens, ApplyTimestampRules).
// Each works in place on one row of logits; `sampled` are the tokens chosen so far.
import type { WhisperTokens } from './special-tokens.ts';
import { logSoftmax } from './sampling.ts';

/** Whisper's max_initial_timestamp: the first timestamp is at most 1.0 s (50 × 0.02 s). */
export const MAX_INITIAL_TIMESTAMP_INDEX = 50;

/** At the first step, neither a blank nor the end of text. */
export function suppressBlank(logits: Float32Array, sampled: readonly number[], blank: readonly number[], eot: number): void {
  if (sampled.length > 0) return;
  for (const id of blank) logits[id] = -Infinity;
  logits[eot] = -Infinity;
}

export function suppressTokens(logits: Float32Array, suppressed: readonly number[]): void {
  for (const id of suppressed) if (id < logits.length) logits[id] = -Infinity;
}

/**
 * Timestamps come in pairs (start, end) around text, never go backwards, a segment is
 * never empty, the first token is a timestamp of at most 1 s, and when the timestamps
 * together are likelier than any single text token a timestamp is forced.
 */
export function applyTimestampRules(logits: Float32Array, sampled: readonly number[], tokens: Pick<WhisperTokens, 'eot' | 'noTimestamps' | 'timestampBegin'>): void {
  const { eot, noTimestamps, timestampBegin } = tokens;
  const fill = (from: number, to: number) => logits.fill(-Infinity, Math.max(0, from), Math.min(logits.length, to));
  logits[noTimestamps] = -Infinity;

  const isTimestamp = (t: number | undefined) => t !== undefined && t >= timestampBegin;
  const lastWasTimestamp = sampled.length >= 1 && isTimestamp(sampled.at(-1));
  const penultimateWasTimestamp = sampled.length < 2 || isTimestamp(sampled.at(-2));
  if (lastWasTimestamp) {
    if (penultimateWasTimestamp) fill(timestampBegin, logits.length); // has to be text (or the end)
    else fill(0, eot); // has to be a timestamp (or the end)
  }
  const timestamps = sampled.filter((t) => t >= timestampBegin);
  if (timestamps.length > 0) {
    // No going back; and after a closing timestamp the next segment starts strictly later.
    const last = timestamps.at(-1)!;
    fill(timestampBegin, lastWasTimestamp && !penultimateWasTimestamp ? last : last + 1);
  }
  if (sampled.length === 0) {
    fill(0, timestampBegin);
    fill(timestampBegin + MAX_INITIAL_TIMESTAMP_INDEX + 1, logits.length);
  }

  const logprobs = logSoftmax(logits);
  let timestampMass = -Infinity;
  for (let i = timestampBegin; i < logprobs.length; i++) timestampMass = logAddExp(timestampMass, logprobs[i]!);
  let bestText = -Infinity;
  for (let i = 0; i < timestampBegin; i++) if (logprobs[i]! > bestText) bestText = logprobs[i]!;
  if (timestampMass > bestText) fill(0, timestampBegin);
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const max = Math.max(a, b);
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}
