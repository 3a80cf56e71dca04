// POST /api/tta/picoaudio: fields, defaults and ranges of the Amphion API (seed 002).
import { errors } from '../../core/errors.ts';
import { defineRoute } from '../../core/plugin/define-plugin.ts';
import { MEL_LATENT } from '../mel-latent/layout.ts';
import { KNOWN_EVENTS, parseCaption } from './caption.ts';
import { generatePico } from './generate.ts';

const freshSeed = () => Math.floor(Math.random() * 0x100000000);

export const picoaudioRoute = defineRoute({
  method: 'POST',
  path: '/tta/picoaudio',
  summary: 'Sound events at chosen times (PicoAudio timestamp-controlled diffusion)',
  description:
    'The caption says which events sound and when: `"cat meowing at 0.5-2.0, 3.0-4.5 and whistling at 5.0-6.5"` (seconds), or how often: ' +
    '`"dog barking two times and sneeze once"` (occurrences spread evenly; the reference uses an LLM for this step). ' +
    `Events the model knows: ${KNOWN_EVENTS}. A caption that cannot be read, names another event, or has times past \`duration\` is answered 422 ` +
    'with what was understood. Decoding uses the AudioLDM plugin’s VAE and vocoder; 16 kHz mono; `X-Seed` reproduces the output. ' +
    'To look at the result, send it to [`POST /api/audio/spectrogram`](#/audio/post_audio_spectrogram).',
  fields: {
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, maxLength: 1000, description: 'Caption with event timings, e.g. "cat meowing at 0.5-2.0 and whistling at 2.5-3.0".' },
      duration: { type: 'number', minimum: 1, maximum: 10, default: 3.0, description: 'Length of the audio in seconds, 1–10.' },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Seed of the starting noise. Default: random (see `X-Seed`).' },
    },
    required: ['text'],
    additionalProperties: false,
  },
  produces: 'audio',
  idempotent: true,
  example: { text: 'cat meowing at 0.5-1.5 and whistling at 2.0-2.5', duration: 3.0, seed: 7 },
  async handler(input, ctx) {
    const duration = input.duration ?? 3;
    const caption = parseCaption(input.text, duration);
    if (!caption.ok) {
      const understood = caption.understood.length ? `understood: ${caption.understood.join('; ')}` : 'nothing understood before it';
      throw errors.unprocessable(`text: ${caption.problem} (${understood}). Write "<event> at <start>-<end>, …" or "<event> <n> times", joined by "and"; events: ${KNOWN_EVENTS}`);
    }
    const seed = input.seed ?? freshSeed();
    const audio = await generatePico({ events: caption.events, seconds: duration, seed }, ctx);
    return { audio, sampleRate: MEL_LATENT.sampleRate, headers: { 'X-Seed': String(seed) } };
  },
});
