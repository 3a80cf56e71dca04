// POST /api/tts/metis: text to speech with Metis, in the voice of an optional reference clip.
// Field names follow the Amphion API (seed 002): `text`, optional `reference_audio`.
import { defineRoute } from '../../core/plugin/define-plugin.ts';
import { METIS } from './settings.ts';
import { synthesizeMetis } from './synthesize.ts';

const languages = METIS.languages;
/** A seed when the client gave none; sent back as `X-Seed`. */
const freshSeed = () => Math.floor(Math.random() * 0x100000000);

export const metisRoute = defineRoute({
  method: 'POST',
  path: '/tts/metis',
  summary: 'Speech from text with Metis, optionally in the voice of a reference clip',
  description:
    "Metis (Amphion), a masked generative foundation model of the MaskGCT family fine-tuned for TTS: text → semantic tokens by mask-predict " +
    "(Metis' T2S, 25 steps, guidance 2.5 rescaled 0.75), then MaskGCT's semantic-to-acoustic models (layer 0: 40 steps without guidance; layer 1: 16 steps; 2–11: 1 step) " +
    "and acoustic decoder. With `reference_audio` the voice, and by default the length (UTF-8 length of `text` over that of `reference_text`, times the reference's duration), follow the clip; " +
    `without it the prompt is empty (any voice) and the length is the text's UTF-8 length at ${METIS.unpromptedBytesPerSecond} bytes per second. ` +
    "Needs the maskgct plugin's weights as well as Metis' own. Output: 24 kHz mono; `X-Seed` gives the seed to reproduce it.",
  fields: {
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, maxLength: 2000, description: 'Text to synthesize.' },
      language: { type: 'string', enum: languages, default: 'en', description: 'Language of `text` (zh and en may be mixed). Default: en.' },
      reference_text: { type: 'string', maxLength: 2000, description: 'What the reference clip says. Default: transcribed by the installed ASR model (only used with `reference_audio`).' },
      reference_language: { type: 'string', enum: languages, description: 'Language of the reference clip. Default: `language`.' },
      target_duration: { type: 'number', minimum: 0.1, maximum: METIS.maxTargetSeconds, description: 'Length of the speech in seconds. Default: estimated (see the route description).' },
      n_timesteps: { type: 'integer', minimum: 1, maximum: 100, default: METIS.t2s.steps, description: `Mask-predict steps of the text-to-semantic stage. Default: ${METIS.t2s.steps}.` },
      cfg: { type: 'number', minimum: 0, maximum: 10, default: METIS.t2s.cfg, description: `Classifier-free guidance of the text-to-semantic stage (0 turns it off). Default: ${METIS.t2s.cfg}.` },
      temperature: { type: 'number', minimum: 0, maximum: 2, default: METIS.t2s.temperature, description: `Start of the text-to-semantic sampling temperature, annealed to 0 over the steps. Default: ${METIS.t2s.temperature}.` },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Seed of the samplers: the same seed and inputs give the same audio. Default: random (see `X-Seed`).' },
    },
    required: ['text'],
    additionalProperties: false,
  },
  uploads: [{ name: 'reference_audio', class: 'reference', required: false, description: 'Voice to speak in: a few seconds of clean speech (WAV, MP3, FLAC or OGG). Optional.' }],
  produces: 'audio',
  idempotent: true,
  example: { text: 'Hello from the hub.', reference_text: 'This is the reference voice.', language: 'en', n_timesteps: 2, target_duration: 0.5, seed: 7 },
  async handler(input, ctx) {
    const seed = input.seed ?? freshSeed();
    const result = await synthesizeMetis(
      {
        text: input.text,
        language: input.language ?? 'en',
        ...(input.files.reference_audio ? { reference: input.files.reference_audio } : {}),
        ...(input.reference_text !== undefined ? { referenceText: input.reference_text } : {}),
        ...(input.reference_language !== undefined ? { referenceLanguage: input.reference_language } : {}),
        ...(input.target_duration !== undefined ? { targetSeconds: input.target_duration } : {}),
        steps: input.n_timesteps ?? METIS.t2s.steps,
        cfg: input.cfg ?? METIS.t2s.cfg,
        temperature: input.temperature ?? METIS.t2s.temperature,
        seed,
      },
      ctx,
    );
    return { audio: result.audio, sampleRate: result.sampleRate, headers: { 'X-Seed': String(seed) } };
  },
});
