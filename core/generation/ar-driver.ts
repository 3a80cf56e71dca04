// The autoregressive driver: prefill the prompt, then one token per step through a model
// that keeps its own KV cache, until a stop token, the new-token budget, or cancellation.
// It runs wherever the model lives: inside an ONNX worker (a plugin's loop module, with
// kvCacheModel over io.run) or on the main thread over a GraphSession.
import { seededRandom, type Random } from './rng.ts';
import { sampleToken, type SamplingSettings } from './samplers.ts';

export interface ArModel {
  /** Feeds tokens at the next positions; returns the logits after the last of them. */
  feed(tokens: readonly number[]): Promise<ArrayLike<number>>;
}

export interface ArSettings extends SamplingSettings {
  readonly maxNewTokens: number;
  /** Any of these ends generation (it is not part of the result). */
  readonly stopTokens?: readonly number[];
  /** Stop tokens are suppressed until this many new tokens exist (MinNewTokensLengthLogitsProcessor). */
  readonly minNewTokens?: number;
  /** Seeds the draw; the same seed reproduces the same tokens. */
  readonly seed?: number;
}

export interface ArHooks {
  /** After each chosen token (stream it, count progress). */
  onToken?(token: number, index: number): void;
  /** Asked before each step; true ends the loop with `cancelled`. */
  cancelled?(): boolean;
  /** Overrides the draw (e.g. a decoder's own timestamp rules); gets the processed history too. */
  choose?(logits: ArrayLike<number>, history: readonly number[], random: Random): number;
}

export interface ArResult {
  readonly tokens: number[];
  readonly stop: 'stop-token' | 'max-new-tokens' | 'cancelled';
  /** Model calls made (the prefill counts as one). */
  readonly steps: number;
}

export async function generateTokens(model: ArModel, prompt: readonly number[], settings: ArSettings, hooks: ArHooks = {}): Promise<ArResult> {
  if (prompt.length === 0) throw new Error('an autoregressive prompt needs at least one token');
  const random = seededRandom(settings.seed ?? 0);
  const stops = new Set(settings.stopTokens ?? []);
  const history = [...prompt];
  const tokens: number[] = [];
  // 1. prefill
  let logits = await model.feed(prompt);
  let steps = 1;
  // 2. one token per step
  while (tokens.length < settings.maxNewTokens) {
    if (hooks.cancelled?.()) return { tokens, stop: 'cancelled', steps };
    const row = tokens.length < (settings.minNewTokens ?? 0) ? withoutStops(logits, stops) : logits;
    const token = hooks.choose ? hooks.choose(row, history, random) : sampleToken(row, history, settings, random);
    if (stops.has(token)) return { tokens, stop: 'stop-token', steps };
    tokens.push(token);
    history.push(token);
    hooks.onToken?.(token, tokens.length - 1);
    if (tokens.length === settings.maxNewTokens) break;
    logits = await model.feed([token]);
    steps++;
  }
  return { tokens, stop: 'max-new-tokens', steps };
}

function withoutStops(logits: ArrayLike<number>, stops: ReadonlySet<number>): Float32Array {
  const row = Float32Array.from(logits);
  for (const token of stops) if (token >= 0 && token < row.length) row[token] = -Infinity;
  return row;
}
