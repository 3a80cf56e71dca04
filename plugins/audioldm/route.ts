// POST /api/tta/audioldm: fields, defaults and ranges of the Amphion API (seed 002).
import { errors } from '../../core/errors.ts';
import { defineRoute } from '../../core/plugin/define-plugin.ts';
import { MEL_LATENT } from '../mel-latent/layout.ts';
import { generate } from './generate.ts';
import { MAX_TOKENS } from './text-conditioning.ts';

const freshSeed = () => Math.floor(Math.random() * 0x100000000);

export const audioldmRoute = defineRoute({
  method: 'POST',
  path: '/tta/audioldm',
  summary: 'Sound from a text description (AudioLDM latent diffusion)',
  description:
    'CLAP text embedding → DDIM denoising of a mel latent with classifier-free guidance (scale 2.5, the empty text as the unconditional branch) → ' +
    `VAE decoder → HiFi-GAN, 16 kHz mono. Text beyond ${MAX_TOKENS} tokens is cut as the reference tokenizer does, and the response then carries ` +
    '`X-Text-Truncated: true`; `X-Seed` gives the seed that reproduces the output. Run it as a task (`?async=true`) to follow every denoising step. ' +
    'To look at the result, send it to [`POST /api/audio/spectrogram`](#/audio/post_audio_spectrogram).',
  fields: {
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, maxLength: 5000, description: 'Description of the sound, e.g. "A dog barking in the park".' },
      num_inference_steps: { type: 'integer', minimum: 10, maximum: 200, default: 50, description: 'DDIM steps, 10–200.' },
      audio_length_in_s: { type: 'number', minimum: 1, maximum: 30, default: 5.0, description: 'Length of the audio in seconds, 1–30.' },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Seed of the starting noise: the same seed and fields give the same audio. Default: random (see `X-Seed`).' },
    },
    required: ['text'],
    additionalProperties: false,
  },
  produces: 'audio',
  // A UNet run (or two) per step, up to 200 steps: among the heaviest routes.
  idempotent: true,
  example: { text: 'A dog barking in the park', num_inference_steps: 10, audio_length_in_s: 1.0, seed: 7 },
  async handler(input, ctx) {
    if (input.text.trim() === '') throw errors.invalidValue('text', 'must not be empty or only spaces');
    const seed = input.seed ?? freshSeed();
    const result = await generate({ text: input.text, steps: input.num_inference_steps ?? 50, seconds: input.audio_length_in_s ?? 5, seed }, ctx);
    return {
      audio: result.audio,
      sampleRate: MEL_LATENT.sampleRate,
      headers: { 'X-Seed': String(seed), ...(result.truncated ? { 'X-Text-Truncated': 'true' } : {}) },
    };
  },
});
