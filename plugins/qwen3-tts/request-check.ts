// The request checks the route and the tts capability share, so both answer the same: each
// names its field, says what this variant accepts and, where another Qwen3-TTS variant offers
// what was asked for, names that one.
import type { AudioSource } from '../../core/audio/toolkit.ts';
import { errors } from '../../core/errors.ts';
import type { Qwen3Request } from './synthesize.ts';
import { LANGUAGE_CODES, LANGUAGE_NAMES, QWEN3, variantsWith, type Qwen3Variant } from './variants.ts';

export interface RawQwen3Request {
  readonly text: string;
  readonly language?: string;
  readonly voice?: string;
  readonly reference?: { readonly audio: AudioSource; readonly text?: string; readonly field: string };
  readonly referenceTextWithoutAudio?: boolean;
  readonly instructions?: string;
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly repetitionPenalty?: number;
  readonly maxNewTokens?: number;
  readonly seed: number;
}

export const DEFAULT_VOICE = 'vivian';

export function voiceList(): string {
  return Object.keys(QWEN3.speakers).join(', ');
}

export function checkedRequest(variant: Qwen3Variant, raw: RawQwen3Request): Qwen3Request {
  const text = raw.text.trim();
  if (text === '') throw errors.invalidField('text', 'nothing to say after removing whitespace');
  const chars = [...text].length;
  if (chars > QWEN3.maxTextChars) throw errors.payloadTooLarge(`text: ${chars} characters; at most ${QWEN3.maxTextChars} per request`);

  const asked = (raw.language ?? 'auto').trim().toLowerCase();
  const language = LANGUAGE_CODES[asked.split(/[-_]/)[0]!] ?? asked;
  if (!(LANGUAGE_NAMES as readonly string[]).includes(language)) throw errors.invalidValue('language', `'${raw.language}' is not one of ${LANGUAGE_NAMES.join(', ')} (or their ISO codes ${Object.keys(LANGUAGE_CODES).join(', ')})`);

  let voice: string | undefined;
  if (variant.modes.includes('voice')) {
    voice = (raw.voice ?? DEFAULT_VOICE).trim().toLowerCase();
    if (!(voice in QWEN3.speakers)) throw errors.invalidValue('voice', `'${raw.voice}' is not a voice of ${variant.title}; voices: ${voiceList()}`);
  } else if (raw.voice !== undefined && raw.voice !== 'default') {
    throw errors.invalidValue('voice', `${variant.title} has no built-in voices; ${variantsWith('voice')} has: ${voiceList()}`);
  }

  if (raw.referenceTextWithoutAudio) throw errors.invalidField('reference_audio', 'reference_text was sent without the clip it transcribes');
  if (raw.reference && !variant.modes.includes('clone')) throw errors.invalidValue(raw.reference.field, `${variant.title} does not clone voices; ${variantsWith('clone')} does`);
  if (!raw.reference && variant.modes.includes('clone')) throw errors.invalidValue('reference_audio', `${variant.title} speaks in a cloned voice: send a clip of ${QWEN3.referenceSeconds[0]} to ${QWEN3.referenceSeconds[1]} s (with reference_text for in-context cloning, without for x-vector only)`);

  const instructions = raw.instructions?.trim() || undefined;
  if (instructions && !variant.modes.includes('instructions')) throw errors.invalidValue('instructions', `${variant.title} takes no instructions; ${variantsWith('instructions')} does`);
  if (instructions && [...instructions].length > QWEN3.maxInstructionChars) throw errors.invalidValue('instructions', `at most ${QWEN3.maxInstructionChars} characters`);

  const maxNewTokens = raw.maxNewTokens ?? QWEN3.maxNewTokens;
  const [low, high] = QWEN3.maxNewTokensRange;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < low || maxNewTokens > high) throw errors.invalidValue('max_new_tokens', `must be an integer from ${low} to ${high}; got ${raw.maxNewTokens}`);

  const t = QWEN3.talkerSampling;
  const p = QWEN3.predictorSampling;
  return {
    text,
    language,
    ...(voice ? { voice } : {}),
    ...(raw.reference ? { reference: raw.reference } : {}),
    ...(instructions ? { instructions } : {}),
    talkerSampling: { temperature: raw.temperature ?? t.temperature, topK: raw.topK ?? t.topK, topP: raw.topP ?? t.topP, repetitionPenalty: raw.repetitionPenalty ?? t.repetitionPenalty },
    // The request's temperature / top-k / top-p apply to both loops, as the reference's own defaults are equal.
    predictorSampling: { temperature: raw.temperature ?? p.temperature, topK: raw.topK ?? p.topK, topP: raw.topP ?? p.topP },
    maxNewTokens,
    seed: raw.seed,
  };
}
