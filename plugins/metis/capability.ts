// Metis as a `tts` capability, so the OpenAI-compatible surface can speak with it: a
// registered reference voice is the voice it clones; any other voice name speaks from an
// empty prompt (Metis needs no reference), in whatever voice the model samples.
import type { TtsCapability } from '../../core/capabilities.ts';
import { errors } from '../../core/errors.ts';
import { METIS } from './settings.ts';
import { synthesizeMetis } from './synthesize.ts';

export const metisTts: TtsCapability = {
  // 'reference': clones a voice from a clip; 'temperature': T2S sampling temperature; 'seed': repeatable sampling
  supports: ['reference', 'temperature', 'seed'],
  voices: async () => [],
  async synthesize(request, ctx) {
    const language = ctx.text.resolveLanguage(request.language ?? 'en', 'language');
    if (!(METIS.languages as readonly string[]).includes(language)) {
      throw errors.invalidField('language', `'${request.language}' is not supported by Metis; supported: ${METIS.languages.join(', ')}`);
    }
    return synthesizeMetis(
      {
        text: request.text,
        language,
        ...(request.reference ? { reference: { ...request.reference, field: 'voice', limitClass: 'reference' } } : {}),
        ...(request.reference?.text ? { referenceText: request.reference.text } : {}),
        steps: METIS.t2s.steps,
        cfg: METIS.t2s.cfg,
        temperature: request.sampling?.temperature ?? METIS.t2s.temperature,
        seed: request.seed ?? Math.floor(Math.random() * 0x100000000),
      },
      ctx,
    );
  },
};
