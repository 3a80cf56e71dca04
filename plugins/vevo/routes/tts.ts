// POST /api/tts/vevo: zero-shot TTS (Vevo-TTS). Fields as the Amphion API document (seed 002):
// text, reference_audio, mode; the rest are optional extras.
import { defineRoute } from '../../../core/plugin/define-plugin.ts';
import { speak } from '../pipeline/speak.ts';
import { VEVO } from '../settings.ts';
import { answer, flowStepsField, freshSeed, samplingFields, samplingOf, seedField } from './fields.ts';

export const ttsRoute = defineRoute({
  method: 'POST',
  path: '/tts/vevo',
  summary: 'Zero-shot speech in the voice and style of a reference clip (Vevo)',
  description:
    'Phones of the reference transcript and of `text` feed the PhoneToVq8192 AR, prompted with the reference\'s content-style tokens; flow matching renders the result in the reference\'s timbre, then the Vocos vocoder. ' +
    'Vevo has no text path without the AR, so `mode` does not change the pipeline: `fm` (the default of the API document) and `ar` both run AR then flow matching, with the reference as style and timbre reference. ' +
    'Without `reference_text` the reference is transcribed by the installed speech recognition model; with none installed the request is refused naming `reference_text`. ' +
    `Output: 24 kHz mono at −25 dB RMS; \`X-Seed\` reproduces it. Limit: reference ≤ ${VEVO.maxReferenceSeconds} s.`,
  fields: {
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, maxLength: 1000, description: 'Text to synthesize.' },
      mode: { type: 'string', enum: ['fm', 'ar'], default: 'fm', description: 'Accepted for compatibility; both run AR + flow matching (see the description).' },
      reference_text: { type: 'string', maxLength: 1000, description: 'What the reference clip says. Default: transcribed by the installed ASR model.' },
      language: { type: 'string', enum: VEVO.languages, default: 'en', description: 'Language of `text` (and of the reference unless `reference_language`).' },
      reference_language: { type: 'string', enum: VEVO.languages, description: 'Language of the reference clip. Default: `language`.' },
      ...samplingFields,
      flow_matching_steps: flowStepsField,
      seed: seedField,
    },
    required: ['text'],
    additionalProperties: false,
  },
  uploads: [{ name: 'reference_audio', class: 'reference', required: true, description: 'Voice to clone: a few seconds of clean speech.' }],
  produces: 'audio',
  idempotent: true,
  example: { text: 'Hello from the hub.', reference_text: 'This is the reference voice.', flow_matching_steps: 2, max_new_tokens: 4, seed: 7 },
  async handler(input, ctx) {
    const seed = input.seed ?? freshSeed();
    const result = await speak(
      {
        text: input.text,
        language: input.language ?? 'en',
        reference: input.files.reference_audio,
        referenceField: 'reference_audio',
        ...(input.reference_text !== undefined ? { referenceText: input.reference_text } : {}),
        ...(input.reference_language !== undefined ? { referenceLanguage: input.reference_language } : {}),
        sampling: samplingOf(input, seed),
        flowSteps: input.flow_matching_steps ?? VEVO.flowSteps,
      },
      ctx,
    );
    return answer(result);
  },
});
