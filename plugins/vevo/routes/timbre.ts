// POST /api/vc/vevo-timbre: flow matching only (Vevo-Timbre, `inference_fm`): the source's
// content-style tokens, re-voiced in the reference's timbre.
import { defineRoute } from '../../../core/plugin/define-plugin.ts';
import { readClip } from '../../vevo-common/clips.ts';
import { synthesize } from '../pipeline/synthesize.ts';
import { VEVO } from '../settings.ts';
import { answer, flowStepsField, freshSeed, seedField, sourceUpload } from './fields.ts';

export const timbreRoute = defineRoute({
  method: 'POST',
  path: '/vc/vevo-timbre',
  summary: 'Convert the timbre of speech to that of a reference clip (Vevo, flow matching)',
  description:
    'Keeps the source\'s words, accent and prosody (its vq8192 content-style tokens) and renders them with the reference\'s timbre by flow matching, then the Vocos vocoder. ' +
    `Output: 24 kHz mono at −25 dB RMS; \`X-Seed\` reproduces it. Limits: source ≤ ${VEVO.maxSourceSeconds} s, reference ≤ ${VEVO.maxReferenceSeconds} s.`,
  fields: {
    type: 'object',
    properties: { flow_matching_steps: flowStepsField, seed: seedField },
    additionalProperties: false,
  },
  uploads: [sourceUpload, { name: 'reference_audio', class: 'reference', required: true, description: 'Timbre reference: a few seconds of the target voice.' }],
  produces: 'audio',
  idempotent: true,
  example: { flow_matching_steps: 2, seed: 7 },
  async handler(input, ctx) {
    const source = await readClip(ctx, input.files.source_audio, 'source_audio', VEVO.maxSourceSeconds);
    const timbre = await readClip(ctx, input.files.reference_audio, 'reference_audio', VEVO.maxReferenceSeconds);
    const seed = input.seed ?? freshSeed();
    return answer(await synthesize({ source, timbre, flowSteps: input.flow_matching_steps ?? VEVO.flowSteps, seed }, ctx));
  },
});
