// Seed 001's request bodies (CreateDubRequest, CreateVoiceRequest) and the hub's publish
// body, compiled once; client input is checked without `allErrors` (style rule 11).
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { GENRES, LANGUAGES, STYLES } from './catalogue.ts';

export const CREATE_DUB = {
  type: 'object',
  properties: {
    voiceId: { type: 'string', format: 'uuid', description: 'UUID of the voice model to use for dubbing' },
    link: { type: 'string', format: 'uri', maxLength: 2048, description: 'URL of audio/video to dub (alternative to file upload)' },
    pitchShift: { type: 'integer', minimum: -24, maximum: 24, default: 0, description: 'Pitch shift in semitones (-24 to +24)' },
    separate: { type: 'boolean', default: true, description: 'Whether to separate vocals from backing track' },
  },
  required: ['voiceId'],
} as const;

export const CREATE_VOICE = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 50, description: 'Display name for the voice (1-50 characters)' },
    numberOfFiles: { type: 'integer', minimum: 1, maximum: 5, description: 'Number of audio files to upload for training (1-5)' },
    maxMinutes: { type: 'integer', minimum: 5, maximum: 60, default: 10, description: 'Maximum duration of training audio in minutes (5-60)' },
    separate: { type: 'boolean', default: true, description: 'Whether to use vocal separation during training' },
  },
  required: ['name', 'numberOfFiles'],
} as const;

export const PUBLISH_VOICE = {
  type: 'object',
  additionalProperties: false,
  properties: {
    languages: { type: 'array', items: { enum: LANGUAGES }, uniqueItems: true, maxItems: LANGUAGES.length },
    genres: { type: 'array', items: { enum: GENRES }, uniqueItems: true, maxItems: GENRES.length },
    styles: { type: 'array', items: { enum: STYLES }, uniqueItems: true, maxItems: STYLES.length },
  },
  required: ['languages', 'genres', 'styles'],
} as const;

const ajv = new Ajv({ strict: false, useDefaults: true, coerceTypes: false });
addFormats.default(ajv);

export const validators = {
  createDub: ajv.compile<{ voiceId: string; link?: string; pitchShift: number; separate: boolean }>(CREATE_DUB),
  createVoice: ajv.compile<{ name: string; numberOfFiles: number; maxMinutes: number; separate: boolean }>(CREATE_VOICE),
  publish: ajv.compile<{ languages: string[]; genres: string[]; styles: string[] }>(PUBLISH_VOICE),
};
