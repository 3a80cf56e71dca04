// POST /api/tts/maskgct: zero-shot TTS from a reference clip. Field names follow the Amphion
// API (seed 002); the aliases (`audio`, `target_language`, `target_len`) are those of an
// existing implementation of the same API, accepted but documented once.
import { defineRoute } from '../../core/plugin/define-plugin.ts';
import { freshSeed } from './sampling/random.ts';
import { MASKGCT } from './settings.ts';
import { synthesize } from './pipeline/synthesize.ts';

const languages = MASKGCT.languages;

export const maskgctRoute = defineRoute({
  method: 'POST',
  path: '/tts/maskgct',
  summary: 'Zero-shot speech in the voice of a reference clip (MaskGCT)',
  description:
    'Masked generative codec transformer: text → semantic tokens by mask-predict (T2S), semantic → 12 layers of acoustic tokens (S2A), then the codec decoder, ' +
    'all conditioned on the reference clip. Without `reference_text` the clip is transcribed by the installed speech recognition model. Output: 24 kHz mono; ' +
    'the `X-Seed` header gives the seed to reproduce it.',
  fields: {
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, maxLength: 2000, description: 'Text to synthesize.' },
      language: { type: 'string', enum: languages, default: 'en', description: 'Language of `text` (zh and en may be mixed).', 'x-aliases': ['target_language'] },
      temperature: { type: 'number', minimum: 0, maximum: 2, default: 0.7, description: 'Start of the T2S sampling temperature, annealed to 0 over the steps (the original uses 0.9).' },
      reference_text: { type: 'string', maxLength: 2000, description: 'What the reference clip says. Default: transcribed by the installed ASR model.' },
      reference_language: { type: 'string', enum: languages, description: 'Language of the reference clip. Default: as the ASR heard it, else `language`.' },
      target_duration: { type: 'number', minimum: 0.1, maximum: MASKGCT.maxTargetSeconds, description: 'Length of the speech in seconds. Default: estimated from the reference clip\'s pace.', 'x-aliases': ['target_len'] },
      n_timesteps: { type: 'integer', minimum: 1, maximum: 100, default: MASKGCT.t2s.steps, description: 'Mask-predict steps of the text-to-semantic stage.' },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Seed of the sampler: the same seed and inputs give the same audio. Default: random (see `X-Seed`).' },
    },
    required: ['text'],
    additionalProperties: false,
  },
  uploads: [
    { name: 'reference_audio', class: 'reference', required: true, aliases: ['audio'], description: 'Voice to clone: a few seconds of clean speech (WAV, MP3, FLAC or OGG).' },
  ],
  produces: 'audio',
  idempotent: true,
  example: { text: 'Hello from the hub.', reference_text: 'This is the reference voice.', language: 'en', n_timesteps: 2, target_duration: 0.5, seed: 7 },
  async handler(input, ctx) {
    const seed = input.seed ?? freshSeed();
    const result = await synthesize(
      {
        text: input.text,
        language: input.language ?? 'en',
        reference: input.files.reference_audio,
        ...(input.reference_text !== undefined ? { referenceText: input.reference_text } : {}),
        ...(input.reference_language !== undefined ? { referenceLanguage: input.reference_language } : {}),
        temperature: input.temperature ?? 0.7,
        ...(input.target_duration !== undefined ? { targetSeconds: input.target_duration } : {}),
        steps: input.n_timesteps ?? MASKGCT.t2s.steps,
        seed,
      },
      ctx,
    );
    return { audio: result.audio, sampleRate: result.sampleRate, headers: { 'X-Seed': String(result.seed) } };
  },
});
