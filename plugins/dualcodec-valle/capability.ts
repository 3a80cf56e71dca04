// DualCodec-VALL-E as a `tts` capability, so the OpenAI-compatible surface can speak with it:
// the voice is a registered reference clip (with its transcript when known).
import type { TtsCapability } from '../../core/capabilities.ts';
import { errors } from '../../core/errors.ts';
import { VALLE } from './settings.ts';
import { synthesizeValle } from './synthesize.ts';

export const valleTts: TtsCapability = {
  // 'reference': clones a voice from a clip; sampling fields of the AR stage; 'seed': repeatable sampling
  supports: ['reference', 'temperature', 'top_p', 'repetition_penalty', 'max_new_tokens', 'seed'],
  voices: async () => [],
  async synthesize(request, ctx) {
    if (!request.reference) {
      throw errors.invalidField('voice', 'DualCodec-VALL-E speaks in the voice of a reference clip: register one (POST /v1/references/add) and name it as the voice');
    }
    const language = ctx.text.resolveLanguage(request.language ?? 'en', 'language');
    if (!(VALLE.languages as readonly string[]).includes(language)) {
      throw errors.invalidField('language', `'${request.language}' is not supported by DualCodec-VALL-E; supported: ${VALLE.languages.join(', ')}`);
    }
    const { ar } = VALLE;
    const sampling = request.sampling ?? {};
    return synthesizeValle(
      {
        text: request.text,
        language,
        reference: { ...request.reference, field: 'voice', limitClass: 'reference' },
        ...(request.reference.text ? { referenceText: request.reference.text } : {}),
        ...(sampling.max_new_tokens !== undefined ? { maxNewTokens: Math.max(1, Math.trunc(sampling.max_new_tokens)) } : {}),
        sampling: {
          temperature: sampling.temperature ?? ar.temperature,
          topK: ar.topK,
          topP: sampling.top_p ?? ar.topP,
          repetitionPenalty: sampling.repetition_penalty ?? ar.repetitionPenalty,
        },
        seed: request.seed ?? Math.floor(Math.random() * 0x100000000),
      },
      ctx,
    );
  },
};
