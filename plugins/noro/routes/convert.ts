// POST /api/vc/noro: one-shot voice conversion with the seed's field names (source_audio,
// target_audio) and the inference defaults of noro_inference.py.
import { randomInt } from 'node:crypto';
import { defineRoute } from '../../../core/plugin/define-plugin.ts';
import { readClip } from '../pipeline/clips.ts';
import { convert } from '../pipeline/convert.ts';
import { NORO } from '../settings.ts';

export const noroRoute = defineRoute({
  method: 'POST',
  path: '/vc/noro',
  summary: 'Convert speech to the voice of a target clip (Noro, noise-robust one-shot VC)',
  description:
    'Keeps what the source says (its mHuBERT content features and pitch contour) and renders it in the voice of `target_audio`, ' +
    'which may be noisy: a diffusion decoder conditioned on the target\'s speaker queries writes the mel, a BigVGAN vocoder the audio. ' +
    `Defaults as Amphion's noro_inference.py: ${NORO.steps} sampler steps, initial noise divided by ${NORO.noiseDivisor}. ` +
    `Output: 16 kHz mono, as long as the source; \`X-Seed\` reproduces it. Limits: source ≤ ${NORO.maxSourceSeconds} s, target ≤ ${NORO.maxReferenceSeconds} s.`,
  fields: {
    type: 'object',
    properties: {
      steps: {
        type: 'integer',
        minimum: 1,
        maximum: NORO.maxSteps,
        default: NORO.steps,
        description: `Euler steps of the diffusion sampler (one estimator pass each). Default ${NORO.steps}; Amphion suggests 150–300.`,
      },
      sigma: {
        type: 'number',
        minimum: 0.5,
        maximum: 2,
        default: NORO.noiseDivisor,
        description: `The starting noise is z / sigma (noro_inference.py's \`sigma\`). Default ${NORO.noiseDivisor}; Amphion suggests 0.95–1.5.`,
      },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Seed of the starting noise: the same seed and inputs give the same audio. Default: random (see `X-Seed`).' },
    },
    additionalProperties: false,
  },
  uploads: [
    { name: 'source_audio', class: 'content', required: true, description: 'Speech to convert (WAV, MP3, FLAC or OGG).' },
    { name: 'target_audio', class: 'reference', required: true, description: 'A few seconds of the target voice; background noise is tolerated.' },
  ],
  produces: 'audio',
  idempotent: true,
  example: { steps: 2, seed: 7 },
  async handler(input, ctx) {
    const source = await readClip(ctx, input.files.source_audio, 'source_audio', NORO.maxSourceSeconds);
    const target = await readClip(ctx, input.files.target_audio, 'target_audio', NORO.maxReferenceSeconds);
    const seed = input.seed ?? randomInt(0, 2 ** 32 - 1);
    const result = await convert({ source, target, steps: input.steps ?? NORO.steps, noiseDivisor: input.sigma ?? NORO.noiseDivisor, seed }, ctx);
    return { audio: result.audio, sampleRate: result.sampleRate, headers: { 'X-Seed': String(result.seed), 'Server-Timing': result.serverTiming } };
  },
});
