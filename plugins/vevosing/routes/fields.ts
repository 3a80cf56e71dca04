// VevoSing's AR sampling fields: the generate() defaults of ar_model.py, top-k up to the
// 16384 content-style ids.
import { VEVOSING } from '../settings.ts';
import type { ArSampling } from '../pipeline/sing.ts';

const { ar } = VEVOSING;

export const samplingFields = {
  temperature: { type: 'number', exclusiveMinimum: 0, maximum: 2, default: ar.temperature, description: 'AR sampling temperature (mode=ar).' },
  top_k: { type: 'integer', minimum: 0, maximum: ar.contentStyleVocab, default: ar.topK, description: 'AR top-k, 0: off (mode=ar).' },
  top_p: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: ar.topP, description: 'AR nucleus sampling threshold (mode=ar).' },
  max_new_tokens: {
    type: 'integer',
    minimum: 1,
    maximum: ar.maxLength,
    description: "Upper bound on the content-style tokens the AR stage generates (12.5 per second). Default: the model's own (2000 including the prompt).",
  },
} as const;

export function samplingOf(input: { temperature?: number | undefined; top_k?: number | undefined; top_p?: number | undefined; max_new_tokens?: number | undefined }): ArSampling {
  return {
    temperature: input.temperature ?? ar.temperature,
    topK: input.top_k ?? ar.topK,
    topP: input.top_p ?? ar.topP,
    ...(input.max_new_tokens !== undefined ? { maxNewTokens: input.max_new_tokens } : {}),
  };
}
