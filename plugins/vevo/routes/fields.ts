// Form fields the four routes share, with the limits the pipeline relies on.
export { answer, flowStepsField, freshSeed, seedField } from '../../vevo-common/fields.ts';
import { VEVO } from '../settings.ts';
import type { ArSampling } from '../pipeline/autoregressive.ts';

export const samplingFields = {
  temperature: { type: 'number', exclusiveMinimum: 0, maximum: 2, default: VEVO.ar.temperature, description: 'AR sampling temperature.' },
  top_k: { type: 'integer', minimum: 0, maximum: 8192, default: VEVO.ar.topK, description: 'AR top-k (0: off).' },
  top_p: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: VEVO.ar.topP, description: 'AR nucleus sampling threshold.' },
  max_new_tokens: {
    type: 'integer',
    minimum: 1,
    maximum: VEVO.ar.maxLength,
    description: 'Upper bound on the tokens the AR stage generates (50 per second of speech). Default: the model\'s own (2000 including the prompt).',
  },
} as const;

export const sourceUpload = { name: 'source_audio', class: 'content', required: true, description: 'Speech to convert (WAV, MP3, FLAC or OGG).' } as const;

export function samplingOf(input: { temperature?: number | undefined; top_k?: number | undefined; top_p?: number | undefined; max_new_tokens?: number | undefined }, seed: number): ArSampling {
  return {
    temperature: input.temperature ?? VEVO.ar.temperature,
    topK: input.top_k ?? VEVO.ar.topK,
    topP: input.top_p ?? VEVO.ar.topP,
    seed,
    ...(input.max_new_tokens !== undefined ? { maxNewTokens: input.max_new_tokens } : {}),
  };
}
