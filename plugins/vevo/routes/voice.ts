// POST /api/vc/vevo-voice: full voice conversion. `ar` (default): Vevo-Voice, AR + FM with the
// reference as both style and timbre reference. `fm`: flow matching only, i.e. timbre conversion
// (the source's style is kept), the cheaper path.
import { defineRoute } from '../../../core/plugin/define-plugin.ts';
import { readClip } from '../../vevo-common/clips.ts';
import { synthesize } from '../pipeline/synthesize.ts';
import { VEVO } from '../settings.ts';
import { answer, flowStepsField, freshSeed, samplingFields, samplingOf, seedField, sourceUpload } from './fields.ts';

export const voiceRoute = defineRoute({
  method: 'POST',
  path: '/vc/vevo-voice',
  summary: 'Convert speech to the voice (timbre and style) of a reference clip (Vevo)',
  description:
    '`mode=ar` (default, Vevo-Voice): the Vq32ToVq8192 AR rewrites the source\'s content in the reference\'s style, and flow matching renders it in the reference\'s timbre. ' +
    '`mode=fm`: flow matching only (as /vc/vevo-timbre): the timbre changes, the source\'s accent and prosody stay. ' +
    `Output: 24 kHz mono at −25 dB RMS; \`X-Seed\` reproduces it. Limits: source ≤ ${VEVO.maxSourceSeconds} s, reference ≤ ${VEVO.maxReferenceSeconds} s.`,
  fields: {
    type: 'object',
    properties: {
      mode: { type: 'string', enum: ['ar', 'fm'], default: 'ar', description: '`ar`: style and timbre from the reference; `fm`: timbre only.' },
      ...samplingFields,
      flow_matching_steps: flowStepsField,
      seed: seedField,
    },
    additionalProperties: false,
  },
  uploads: [sourceUpload, { name: 'reference_audio', class: 'reference', required: true, description: 'Voice reference: a few seconds of the target speaker.' }],
  produces: 'audio',
  idempotent: true,
  example: { mode: 'ar', flow_matching_steps: 2, max_new_tokens: 4, seed: 7 },
  async handler(input, ctx) {
    const source = await readClip(ctx, input.files.source_audio, 'source_audio', VEVO.maxSourceSeconds);
    const reference = await readClip(ctx, input.files.reference_audio, 'reference_audio', VEVO.maxReferenceSeconds);
    const seed = input.seed ?? freshSeed();
    const flowSteps = input.flow_matching_steps ?? VEVO.flowSteps;
    if ((input.mode ?? 'ar') === 'fm') return answer(await synthesize({ source, timbre: reference, flowSteps, seed }, ctx));
    const ar = { kind: 'vc', content: source, style: reference, sampling: samplingOf(input, seed) } as const;
    return answer(await synthesize({ timbre: reference, ar, flowSteps, seed }, ctx));
  },
});
