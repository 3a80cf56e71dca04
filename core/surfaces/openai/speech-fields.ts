// The fields of POST /v1/audio/speech: OpenAI's, the extended sampling fields of seed 003
// and seed 004's `cfg_value` and `cache`, each with its documented range. One schema
// validates requests and is published in the OpenAPI document.
import { errors, isHubError } from '../../errors.ts';
import { compileFieldValidator } from '../../http/validate-fields.ts';
import type { JsonSchemaObject, UploadDecl } from '../../plugin/types.ts';

/** Formats OpenAI clients may ask for, in OpenAI's order; the hub offers those it can encode. */
export const OPENAI_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;

/** Formats that can be sent while audio is being made: framing needs no final length. */
export const STREAM_FORMATS = ['wav', 'pcm'] as const;

/** Sampling fields a plugin receives in `TtsRequest.sampling` when its capability lists them in `supports`. */
export const SAMPLING_FIELDS = {
  temperature: { type: 'number', minimum: 0.1, maximum: 1.0, description: 'Sampling temperature (0.1-1.0; fish-speech servers default to 0.7).' },
  top_p: { type: 'number', minimum: 0.1, maximum: 1.0, description: 'Nucleus sampling (0.1-1.0; fish-speech servers default to 0.8).' },
  repetition_penalty: { type: 'number', minimum: 0.9, maximum: 2.0, description: 'Repetition penalty (0.9-2.0; fish-speech servers default to 1.1).' },
  max_new_tokens: { type: 'integer', minimum: 100, maximum: 4096, description: 'Most tokens to generate (100-4096; fish-speech servers default to 1024).' },
  chunk_length: { type: 'integer', minimum: 100, maximum: 300, description: 'Characters per synthesised chunk (100-300; default from config).' },
  cfg_value: { type: 'number', minimum: 0.5, maximum: 5.0, description: 'Classifier-free guidance scale (0.5-5.0; speech servers that take it default to 2.0).' },
} as const;

export type SamplingField = keyof typeof SAMPLING_FIELDS;

/** The ad-hoc voice-cloning upload: used for this request only, never stored. */
export const SPEECH_UPLOADS: readonly UploadDecl[] = [
  { name: 'custom_voice_file', class: 'reference', accept: 'audio', description: 'Reference clip to clone the voice from, for this request only (never stored)' },
  { name: 'speaker_wav', class: 'reference', accept: 'audio', description: 'Legacy name of custom_voice_file (custom_voice_file wins when both are sent)' },
];

export function speechFieldSchema(formats: readonly string[]): JsonSchemaObject {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['input'],
    properties: {
      model: { type: 'string', minLength: 1, maxLength: 200, description: 'A TTS plugin name, or tts-1, tts-1-hd, gpt-4o-mini-tts (mapped by config). Default: the configured default model.' },
      input: { type: 'string', minLength: 1, maxLength: 4096, description: 'Text to speak, 1-4096 characters (longer input is refused, never truncated).' },
      voice: { type: 'string', minLength: 1, maxLength: 200, description: "A voice of the model (GET /v1/voices), a registered reference voice id, or an OpenAI voice name (alloy, ...), which means the model's default voice." },
      response_format: { type: 'string', enum: formats, description: `Audio format: ${formats.join(', ')}. pcm is raw 16-bit little-endian mono at 24 kHz, as OpenAI clients expect (X-Sample-Rate says so); the other formats keep the model's rate. Default mp3; wav when streaming, pcm for SSE.` },
      speed: { type: 'number', minimum: 0.25, maximum: 4.0, default: 1, description: 'Speaking rate 0.25-4.0, applied without changing the pitch.' },
      instructions: { type: 'string', maxLength: 4096, description: 'Style instructions, passed to models that use them.' },
      stream_format: { type: 'string', enum: ['audio', 'sse'], description: 'audio: the bytes as they are made; sse: speech.audio.delta / speech.audio.done events.' },
      stream: { type: 'boolean', default: false, description: 'Send audio as it is made (wav with an unknown-length header, or pcm).' },
      cache: { type: ['boolean', 'null'], description: 'false: neither read nor write the audio cache; nothing about the request is written to disk. null: the default, as if absent. 0 and 1 are read as false and true.' },
      language: { type: 'string', minLength: 1, maxLength: 32, description: 'Language of the input, for models that take one (e.g. en-us).' },
      reference_text: { type: 'string', maxLength: 4096, description: 'Transcript of custom_voice_file, for models that use one.' },
      ...SAMPLING_FIELDS,
    },
  };
}

export interface SpeechParams {
  readonly model?: string;
  readonly input: string;
  readonly voice?: string;
  /** undefined when the client named none (the default depends on streaming). */
  readonly format?: string;
  readonly speed: number;
  readonly instructions?: string;
  readonly streamFormat?: 'audio' | 'sse';
  readonly stream: boolean;
  /** false: the client opted out of the cache in the body. */
  readonly cache?: boolean;
  readonly language?: string;
  readonly referenceText?: string;
  readonly sampling: Readonly<Partial<Record<SamplingField, number>>>;
}

const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);
const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);

/** `cache` comes as a boolean, 0/1, or (in forms) any of 0/false/no/off and 1/true/yes/on. */
function normaliseCache(value: unknown): unknown {
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (FALSE_WORDS.has(word)) return false;
    if (TRUE_WORDS.has(word)) return true;
    if (word === '' || word === 'null') return null;
  }
  return value;
}

/**
 * Seed 004 is a pydantic server: a body that fails its schema (a missing or empty `input`,
 * `speed` or `cfg_value` out of range, an unknown field or format) is a 422. What depends on
 * the hub's state (an unknown model or voice) stays a 400.
 */
function asUnprocessable<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!isHubError(error) || error.code !== 'invalid_field' || error.param === undefined) throw error;
    const prefix = `${error.param}: `;
    throw errors.invalidValue(error.param, error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message);
  }
}

export function makeSpeechFieldParser(formats: readonly string[]) {
  const validate = compileFieldValidator({ fields: speechFieldSchema(formats) });
  return function parseSpeechFields(raw: Record<string, unknown>, source: 'form' | 'json'): SpeechParams {
    if (raw.response_format === 'aac' && !formats.includes('aac')) {
      throw errors.invalidValue('response_format', `aac is not offered: this hub has no well-kept AAC encoder; supported: ${formats.join(', ')}`);
    }
    const given = { ...raw };
    // OpenAI's SDK also sends a custom voice as `{ "id": "..." }`.
    const voice = given.voice as { id?: unknown } | undefined;
    if (typeof voice === 'object' && voice !== null && !Array.isArray(voice) && typeof voice.id === 'string') given.voice = voice.id;
    if ('cache' in given) {
      // null means "the server's default", as if the field were absent.
      given.cache = normaliseCache(given.cache);
      if (given.cache === null) delete given.cache;
    }
    const fields = asUnprocessable(() => validate(given, source));
    const sampling = Object.fromEntries(Object.keys(SAMPLING_FIELDS).filter((k) => fields[k] !== undefined).map((k) => [k, fields[k] as number]));
    return {
      model: fields.model as string | undefined,
      input: fields.input as string,
      voice: fields.voice as string | undefined,
      format: fields.response_format as string | undefined,
      speed: fields.speed as number,
      instructions: fields.instructions as string | undefined,
      streamFormat: fields.stream_format as 'audio' | 'sse' | undefined,
      stream: fields.stream as boolean,
      cache: fields.cache as boolean | undefined,
      language: fields.language as string | undefined,
      referenceText: fields.reference_text as string | undefined,
      sampling,
    };
  };
}
