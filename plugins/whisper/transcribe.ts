// Speech → text with Whisper, window by window (openai/whisper `transcribe.py`):
//   1. log-mel of the whole file (with 30 s of silence appended);
//   2. for each 30 s window from `seek`: encoder → cross-attention keys/values;
//   3. language: the client's, or detected once from the first window;
//   4. decode with timestamps and temperature fallback; drop windows judged silent;
//   5. segments from timestamp pairs; move `seek` to the end of the last complete segment;
//   6. the window's tokens become the next window's previous text (condition_on_previous_text),
//      after the initial prompt, unless the window needed a temperature above 0.5.
import type { HandlerContext } from '../../core/plugin/context.ts';
import { decodeWithFallback, detectLanguage, WHISPER_FALLBACK, type FallbackSettings } from './decode-loop.ts';
import { openWhisperGraphs, type WhisperGraphs } from './graph-session.ts';
import { melWindow, whisperMel } from './log-mel.ts';
import { N_FRAMES, SAMPLE_RATE, type WhisperPreset } from './presets.ts';
import { segmentWindow, spokenSegments } from './segments.ts';
import { startSequence, withPreviousText } from './special-tokens.ts';
import { whisperVocabulary } from './whisper-tokenizer.ts';

export interface TranscribeOptions {
  /** A language code the model knows; undefined detects it. */
  readonly language?: string;
  /** Tokens per window (Whisper: 224). */
  readonly maxNewTokens: number;
  /** Decode timestamps and seek by them (default); without, one segment per 30 s window. */
  readonly timestamps?: boolean;
  readonly fallback?: FallbackSettings;
  /** Feed each window the text decoded so far after <|startofprev|> (Whisper: true). */
  readonly conditionOnPreviousText?: boolean;
  /** Text that precedes the first window's (vocabulary, spelling, style), as Whisper's initial_prompt. */
  readonly initialPrompt?: string;
}

export interface Segment {
  readonly id: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface Transcript {
  readonly text: string;
  readonly language: string;
  readonly duration: number;
  readonly segments: Segment[];
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

export async function transcribe(samples: Float32Array, preset: WhisperPreset, options: TranscribeOptions, ctx: HandlerContext): Promise<Transcript> {
  const graphs = await openWhisperGraphs(ctx, preset);
  try {
    return await transcribeWith(graphs, samples, preset, options, ctx);
  } finally {
    await graphs.close();
  }
}

async function transcribeWith(graphs: WhisperGraphs, samples: Float32Array, preset: WhisperPreset, options: TranscribeOptions, ctx: HandlerContext): Promise<Transcript> {
  const vocabulary = await whisperVocabulary(ctx, preset);
  const duration = samples.length / SAMPLE_RATE;
  // 1. log-mel
  const { mel, contentFrames } = await whisperMel(ctx.audio, samples, preset.nMels);

  let language = options.language ?? (vocabulary.tokens.multilingual ? undefined : 'en');
  const timestamps = options.timestamps ?? true;
  const segments: Segment[] = [];
  const conditionOnPrevious = options.conditionOnPreviousText ?? true;
  // transcribe.py: all_tokens starts with " " + initial_prompt.strip(); the prompt of each
  // window is all_tokens[promptResetSince:].
  const initialPrompt = options.initialPrompt?.trim();
  const allTokens = initialPrompt ? vocabulary.tokenizer.encode(` ${initialPrompt}`, { addSpecialTokens: false }) : [];
  let promptResetSince = 0;
  let seek = 0;
  while (seek < contentFrames) {
    ctx.signal.throwIfAborted();
    const segmentSize = Math.min(N_FRAMES, contentFrames - seek);
    // 2. encoder
    const encoded = await graphs.encode(melWindow(mel, seek, segmentSize));
    const open = () => graphs.openDecoder(encoded);
    // 3. language
    language ??= (await detectLanguage(open(), vocabulary.tokens)).language;
    // 4. decode
    const settings = {
      tokens: vocabulary.tokens,
      prompt: withPreviousText(vocabulary.tokens, allTokens.slice(promptResetSince), startSequence(vocabulary.tokens, language, timestamps)),
      maxNewTokens: options.maxNewTokens,
      timestamps,
      suppressed: vocabulary.suppressed,
      blank: vocabulary.blank,
      signal: ctx.signal,
    };
    const result = await decodeWithFallback(open, settings, options.fallback ?? WHISPER_FALLBACK, vocabulary.text);
    if (result.noSpeech) {
      seek += segmentSize;
      continue;
    }
    // 5. segments
    const window = segmentWindow(result.tokens, vocabulary.tokens.timestampBegin, seek, segmentSize);
    for (const { start: from, end: to, tokens, text } of spokenSegments(window.segments, vocabulary.text)) {
      allTokens.push(...tokens);
      // Timestamps past the audio or out of order (possible near the end) are clamped into it.
      const start = Math.min(from, duration);
      segments.push({ id: segments.length, start: round(start), end: round(Math.max(start, Math.min(to, duration))), text });
    }
    // A hot decode is not fed to the next window (transcribe.py: temperature > 0.5).
    if (!conditionOnPrevious || result.temperature > 0.5) promptResetSince = allTokens.length;
    seek += window.advance;
    ctx.progress(Math.min(1, seek / contentFrames), `transcribed ${round(Math.min(seek / 100, duration))} s of ${round(duration)} s`);
  }
  return { text: segments.map((s) => s.text).join('').trim(), language: language ?? 'en', duration: round(duration), segments };
}
