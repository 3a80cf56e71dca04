// POST /api/tts/dualcodec-valle: zero-shot TTS with DualCodec-VALL-E. Field names follow the
// Amphion API (seed 002): `text`, `reference_audio`.
import { defineRoute } from '../../core/plugin/define-plugin.ts';
import { VALLE } from './settings.ts';
import { synthesizeValle } from './synthesize.ts';

const { ar } = VALLE;
/** A seed when the client gave none; sent back as `X-Seed`. */
const freshSeed = () => Math.floor(Math.random() * 0x100000000);

export const valleRoute = defineRoute({
  method: 'POST',
  path: '/tts/dualcodec-valle',
  summary: 'Zero-shot speech in the voice of a reference clip (DualCodec-VALL-E)',
  description:
    'VALL-E over DualCodec 12.5 Hz tokens (Amphion): an autoregressive Llama continues the reference\'s semantic codes for `reference_text` + `text` ' +
    `(sampling: temperature ${ar.temperature}, top-k ${ar.topK}, top-p ${ar.topP}, repetition penalty ${ar.repetitionPenalty}; up to ${ar.maxLength} tokens with the prompt), ` +
    'a non-autoregressive model adds the 7 acoustic layers (one greedy pass each), and the DualCodec decoder renders 24 kHz mono audio. ' +
    'Needs the dualcodec plugin\'s weights as well as its own. `X-Seed` gives the seed to reproduce the output.',
  fields: {
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, maxLength: 1000, description: 'Text to synthesize.' },
      language: { type: 'string', enum: VALLE.languages, default: 'en', description: 'Language of the text and the reference (the language token and the text normalisation). Default: en.' },
      reference_text: { type: 'string', maxLength: 1000, description: 'What the reference clip says. Default: transcribed by the installed ASR model.' },
      temperature: { type: 'number', minimum: 0, maximum: 2, default: ar.temperature, description: `Sampling temperature of the AR stage (0 = greedy). Default: ${ar.temperature}.` },
      top_k: { type: 'integer', minimum: 1, maximum: 1000, default: ar.topK, description: `Top-k of the AR stage. Default: ${ar.topK}.` },
      top_p: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: ar.topP, description: `Top-p of the AR stage. Default: ${ar.topP}.` },
      repetition_penalty: { type: 'number', minimum: 1, maximum: 2, default: ar.repetitionPenalty, description: `Repetition penalty of the AR stage. Default: ${ar.repetitionPenalty}.` },
      max_duration: { type: 'number', minimum: 0.1, maximum: 80, description: `Longest speech to generate, in seconds. Default: what the ${ar.maxLength}-token window leaves after the prompt.` },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Seed of the AR sampler: the same seed and inputs give the same audio. Default: random (see `X-Seed`).' },
    },
    required: ['text'],
    additionalProperties: false,
  },
  uploads: [{ name: 'reference_audio', class: 'reference', required: true, description: 'Voice to clone: a few seconds of clean speech (WAV, MP3, FLAC or OGG).' }],
  produces: 'audio',
  idempotent: true,
  example: { text: 'Hello from the hub.', reference_text: 'This is the reference voice.', language: 'en', max_duration: 0.5, seed: 7 },
  async handler(input, ctx) {
    const seed = input.seed ?? freshSeed();
    const result = await synthesizeValle(
      {
        text: input.text,
        language: input.language ?? 'en',
        reference: input.files.reference_audio,
        ...(input.reference_text !== undefined ? { referenceText: input.reference_text } : {}),
        ...(input.max_duration !== undefined ? { maxSeconds: input.max_duration } : {}),
        sampling: {
          temperature: input.temperature ?? ar.temperature,
          topK: input.top_k ?? ar.topK,
          topP: input.top_p ?? ar.topP,
          repetitionPenalty: input.repetition_penalty ?? ar.repetitionPenalty,
        },
        seed,
      },
      ctx,
    );
    return { audio: result.audio, sampleRate: result.sampleRate, headers: { 'X-Seed': String(seed) } };
  },
});
