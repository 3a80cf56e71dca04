// The Whisper plugin for one model size: POST /api/transcribe (voicebox's `/transcribe`:
// `file` + optional `language` → `{text, duration}`, plus the language and timestamped
// segments) and the `asr` capability zero-shot TTS plugins use to transcribe a reference
// clip. Another size is another folder: `export default makeWhisperPlugin({ ... })`.
import type { AsrCapability } from '../../core/capabilities.ts';
import { defineRoute, definePlugin } from '../../core/plugin/define-plugin.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { whisperGraphs } from './contracts.ts';
import { resolveWhisperLanguage } from './languages.ts';
import { SAMPLE_RATE, type WhisperPreset } from './presets.ts';
import { transcribe, type Transcript } from './transcribe.ts';
import { whisperVocabulary } from './whisper-tokenizer.ts';

/** Whisper's own per-window limit (half the 448-token text context). */
export const MAX_NEW_TOKENS = 224;
// Smoke graphs never write <|endoftext|>, their text means nothing and their timestamps are
// random (seeking by them could crawl): short runs, one segment per 30 s window.
const SMOKE_TOKENS = 4;
/** initial_prompt: only its last 223 tokens reach the decoder; longer text is a client mistake. */
const MAX_PROMPT_CHARS = 2000;
const SMOKE_FALLBACK = { temperatures: [0, 0.2], compressionRatioThreshold: 2.4, logprobThreshold: -1, noSpeechThreshold: 0.6 };

export interface WhisperPluginOptions {
  readonly name: string;
  readonly title: string;
  readonly path: string;
  readonly preset: WhisperPreset;
}

interface RunRequest {
  readonly language?: string;
  readonly maxNewTokens?: number;
  readonly conditionOnPreviousText?: boolean;
  readonly initialPrompt?: string;
}

async function run(samples: Float32Array, preset: WhisperPreset, request: RunRequest, ctx: HandlerContext): Promise<Transcript> {
  const smoke = ctx.weightState === 'smoke';
  const maxNewTokens = Math.min(request.maxNewTokens ?? MAX_NEW_TOKENS, smoke ? SMOKE_TOKENS : MAX_NEW_TOKENS);
  const { language, conditionOnPreviousText, initialPrompt } = request;
  return transcribe(samples, preset, { language, maxNewTokens, conditionOnPreviousText, initialPrompt, ...(smoke ? { fallback: SMOKE_FALLBACK, timestamps: false } : {}) }, ctx);
}

async function languageOf(value: string | undefined, preset: WhisperPreset, ctx: HandlerContext, field: string): Promise<string | undefined> {
  const trimmed = value?.trim();
  if (!trimmed || trimmed.toLowerCase() === 'auto') return undefined;
  const { tokens } = await whisperVocabulary(ctx, preset);
  return resolveWhisperLanguage(trimmed, tokens.multilingual ? [...tokens.languages.keys()] : ['en'], field);
}

export function makeWhisperPlugin(options: WhisperPluginOptions) {
  const { preset } = options;

  const route = defineRoute({
    method: 'POST',
    path: options.path,
    summary: `Transcribe speech with Whisper ${preset.name}`,
    description:
      'Speech to text in 30 s windows with timestamps (greedy decoding with temperature fallback, language detection when no `language` is sent). ' +
      'Answers `{text, duration}` as voicebox does, plus `language` and `segments` (`start`/`end` in seconds).',
    fields: {
      type: 'object',
      properties: {
        language: { type: ['string', 'null'], maxLength: 32, description: 'Language code (en, zh, fr, ...) or name; empty, null or `auto` detects it.' },
        max_new_tokens: { type: 'integer', minimum: 1, maximum: MAX_NEW_TOKENS, default: MAX_NEW_TOKENS, description: 'Most tokens decoded per 30 s window.' },
        condition_on_previous_text: {
          type: 'boolean',
          default: true,
          description: "Feed each 30 s window the text decoded before it, as Whisper's condition_on_previous_text (false: windows decode independently; less consistent, less prone to repetition loops).",
        },
        initial_prompt: {
          type: ['string', 'null'],
          maxLength: MAX_PROMPT_CHARS,
          description: "Text as if spoken before the audio (names, spelling, style), as Whisper's initial_prompt; its last 223 tokens are used.",
        },
      },
      additionalProperties: false,
    },
    uploads: [{ name: 'file', class: 'content', required: true, accept: 'audio', aliases: ['audio'], description: 'Speech to transcribe (WAV, MP3, FLAC, Ogg).' }],
    produces: 'json',
    idempotent: true,
    example: { language: 'en' },
    async handler(input, ctx) {
      const language = await languageOf(input.language ?? undefined, preset, ctx, 'language');
      const pcm = await ctx.audio.decode(input.files.file, { sampleRate: SAMPLE_RATE, mono: true, signal: ctx.signal, consume: true });
      return run(pcm.channels[0]!, preset, {
        language,
        maxNewTokens: input.max_new_tokens,
        conditionOnPreviousText: input.condition_on_previous_text,
        initialPrompt: input.initial_prompt ?? undefined,
      }, ctx);
    },
  });

  const asr: AsrCapability = {
    async transcribe(audio, ctx) {
      // A language this model lacks is not the caller's user's fault: detect instead.
      const language = await languageOf(audio.language, preset, ctx, 'language').catch(() => undefined);
      const samples = audio.sampleRate === SAMPLE_RATE ? audio.samples : await ctx.audio.resample(audio.samples, audio.sampleRate, SAMPLE_RATE);
      const result = await run(samples, preset, { language }, ctx);
      return { text: result.text, language: result.language };
    },
  };

  return definePlugin({
    name: options.name,
    title: options.title,
    task: 'asr',
    summary: `OpenAI Whisper ${preset.name} speech recognition: ${preset.multilingual ? '99 languages' : 'English'}, timestamped segments, 30 s windows.`,
    license: 'MIT',
    sampleRate: SAMPLE_RATE,
    graphs: whisperGraphs(preset),
    routes: [route],
    capabilities: { asr },
  });
}
