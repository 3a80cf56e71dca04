// Whisper's decoding for one 30 s window, written against a small session interface so the
// same loop runs on ONNX graphs (graph-session.ts) and on scripted logits in unit tests:
//   1. feed the start sequence, read the no-speech probability at <|startoftranscript|>;
//   2. choose tokens one at a time (greedy at temperature 0, sampled above) after the
//      logit rules, until <|endoftext|>, the token budget, or a full cache;
//   3. if the result looks wrong (repetitive or improbable), decode again hotter.
import { applyTimestampRules, suppressBlank, suppressTokens } from './logit-filters.ts';
import { N_TEXT_CTX } from './presets.ts';
import { argmax, compressionRatio, logSoftmax, sampleWithTemperature, seededRandom } from './sampling.ts';
import type { WhisperTokens } from './special-tokens.ts';

export interface DecoderSession {
  /** Feeds tokens at the next positions; returns the logits after each fed token. */
  feed(tokens: readonly number[]): Promise<Float32Array[]>;
  /** A session whose graphs live in a worker runs the whole of decodeOnce there (graph-session.ts). */
  decode?(settings: DecodeSettings, temperature: number): Promise<DecodeResult>;
}

export interface DecodeSettings {
  readonly tokens: WhisperTokens;
  /** The start sequence (see startSequence). */
  readonly prompt: readonly number[];
  readonly maxNewTokens: number;
  readonly timestamps: boolean;
  readonly suppressed: readonly number[];
  /** Tokens of a bare space, not allowed as the first token. */
  readonly blank: readonly number[];
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

export interface DecodeResult {
  /** Chosen tokens, without the start sequence and without <|endoftext|>. */
  readonly tokens: number[];
  readonly temperature: number;
  /** Sum of log-probabilities over chosen tokens (and <|endoftext|>) / (tokens + 1). */
  readonly avgLogprob: number;
  readonly noSpeechProb: number;
  /** True when <|endoftext|> was chosen (false: the budget or the cache ran out). */
  readonly ended: boolean;
}

export async function decodeOnce(session: DecoderSession, settings: DecodeSettings, temperature: number): Promise<DecodeResult> {
  const { tokens, prompt } = settings;
  const random = seededRandom(settings.seed ?? 0);
  // 1. the start sequence
  const promptLogits = await session.feed(prompt);
  const sotRow = promptLogits[Math.max(0, prompt.indexOf(tokens.sot))]!;
  const noSpeechProb = tokens.noSpeech === undefined ? 0 : Math.exp(logSoftmax(sotRow)[tokens.noSpeech]!);

  // 2. one token at a time
  const sampled: number[] = [];
  let logits = promptLogits.at(-1)!;
  let sumLogprob = 0;
  let ended = false;
  const budget = Math.min(settings.maxNewTokens, N_TEXT_CTX - prompt.length);
  while (sampled.length < budget) {
    settings.signal?.throwIfAborted();
    const row = Float32Array.from(logits);
    suppressBlank(row, sampled, settings.blank, tokens.eot);
    suppressTokens(row, settings.suppressed);
    if (settings.timestamps) applyTimestampRules(row, sampled, tokens);
    const next = temperature === 0 ? argmax(row) : sampleWithTemperature(row, temperature, random);
    sumLogprob += logSoftmax(row)[next]!;
    if (next === tokens.eot) {
      ended = true;
      break;
    }
    sampled.push(next);
    if (sampled.length < budget) logits = (await session.feed([next]))[0]!;
  }
  return { tokens: sampled, temperature, avgLogprob: sumLogprob / (sampled.length + 1), noSpeechProb, ended };
}

export interface FallbackSettings {
  /** Tried in order until a result passes (Whisper: 0, 0.2, …, 1.0). */
  readonly temperatures: readonly number[];
  readonly compressionRatioThreshold: number;
  readonly logprobThreshold: number;
  readonly noSpeechThreshold: number;
}

export const WHISPER_FALLBACK: FallbackSettings = {
  temperatures: [0, 0.2, 0.4, 0.6, 0.8, 1],
  compressionRatioThreshold: 2.4,
  logprobThreshold: -1,
  noSpeechThreshold: 0.6,
};

export interface WindowResult extends DecodeResult {
  readonly compressionRatio: number;
  /** Whisper's verdict that the window holds no speech (its tokens are then dropped). */
  readonly noSpeech: boolean;
}

/** 3. Decode, and decode again at the next temperature while the result fails the thresholds. */
export async function decodeWithFallback(
  openSession: () => Promise<DecoderSession> | DecoderSession,
  settings: DecodeSettings,
  fallback: FallbackSettings,
  textOf: (tokens: readonly number[]) => string,
): Promise<WindowResult> {
  let result: WindowResult | undefined;
  for (const temperature of fallback.temperatures) {
    const session = await openSession();
    const decoded = session.decode ? await session.decode(settings, temperature) : await decodeOnce(session, settings, temperature);
    const ratio = compressionRatio(textOf(decoded.tokens));
    const silent = decoded.noSpeechProb > fallback.noSpeechThreshold && !(decoded.avgLogprob > fallback.logprobThreshold);
    result = { ...decoded, compressionRatio: ratio, noSpeech: silent };
    const failed = ratio > fallback.compressionRatioThreshold || decoded.avgLogprob < fallback.logprobThreshold;
    if (!failed || silent) break;
  }
  return result!;
}

/** The most likely language, from the logits after <|startoftranscript|> alone. */
export async function detectLanguage(session: DecoderSession, tokens: WhisperTokens, allowed?: readonly string[]): Promise<{ language: string; probability: number }> {
  const [row] = await session.feed([tokens.sot]);
  const candidates = [...tokens.languages].filter(([code]) => !allowed || allowed.includes(code));
  if (candidates.length === 0) throw new Error('the Whisper tokenizer has no language tokens');
  const logits = Float32Array.from(candidates.map(([, id]) => row![id]!));
  const logprobs = logSoftmax(logits);
  const best = argmax(logprobs);
  return { language: candidates[best]![0], probability: Math.exp(logprobs[best]!) };
}
