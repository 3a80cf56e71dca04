// POST /api/vc/vevo-style: AR + FM with the reference as *style* reference and the source as its
// own timbre reference (Vevo-Style: accent and emotion change, the speaker's timbre stays).
import { defineRoute } from '../../../core/plugin/define-plugin.ts';
import { readClip } from '../../vevo-common/clips.ts';
import { synthesize } from '../pipeline/synthesize.ts';
import { VEVO } from '../settings.ts';
import { answer, flowStepsField, freshSeed, samplingFields, samplingOf, seedField, sourceUpload } from './fields.ts';

export const styleRoute = defineRoute({
  method: 'POST',
  path: '/vc/vevo-style',
  summary: 'Convert the speaking style (accent, emotion) of speech to that of a reference clip (Vevo, AR + flow matching)',
  description:
    'The source\'s content tokens (vq32, repeats collapsed) and the reference\'s content-style tokens prompt the Vq32ToVq8192 AR, which writes the source in the reference\'s style; ' +
    'flow matching then renders it with the *source\'s* timbre. ' +
    `Output: 24 kHz mono at −25 dB RMS; \`X-Seed\` reproduces it. Limits: source ≤ ${VEVO.maxSourceSeconds} s, reference ≤ ${VEVO.maxReferenceSeconds} s.`,
  fields: {
    type: 'object',
    properties: { ...samplingFields, flow_matching_steps: flowStepsField, seed: seedField },
    additionalProperties: false,
  },
  uploads: [sourceUpload, { name: 'reference_audio', class: 'reference', required: true, description: 'Style reference: speech in the accent or emotion wanted.' }],
  produces: 'audio',
  idempotent: true,
  example: { flow_matching_steps: 2, max_new_tokens: 4, seed: 7 },
  async handler(input, ctx) {
    const source = await readClip(ctx, input.files.source_audio, 'source_audio', VEVO.maxSourceSeconds);
    const style = await readClip(ctx, input.files.reference_audio, 'reference_audio', VEVO.maxReferenceSeconds);
    const seed = input.seed ?? freshSeed();
    const ar = { kind: 'vc', content: source, style, sampling: samplingOf(input, seed) } as const;
    return answer(await synthesize({ timbre: source, ar, flowSteps: input.flow_matching_steps ?? VEVO.flowSteps, seed }, ctx));
  },
});
