// MaskGCT as a `tts` capability, so the OpenAI-compatible surface can speak with it: the
// voice is a reference clip (a registered reference voice, with its transcript when known).
import type { TtsCapability } from '../../core/capabilities.ts';
import { errors } from '../../core/errors.ts';
import { freshSeed } from './sampling/random.ts';
import { MASKGCT } from './settings.ts';
import { synthesize } from './pipeline/synthesize.ts';

export const maskgctTts: TtsCapability = {
  // 'reference': clones a voice from a clip; 'temperature': T2S sampling temperature; 'seed': repeatable sampling
  supports: ['reference', 'temperature', 'seed'],
  voices: async () => [],
  async synthesize(request, ctx) {
    if (!request.reference) {
      throw errors.invalidField('voice', 'MaskGCT speaks in the voice of a reference clip: register one (POST /v1/references/add) and name it as the voice');
    }
    const language = ctx.text.resolveLanguage(request.language ?? 'en', 'language');
    if (!(MASKGCT.languages as readonly string[]).includes(language)) {
      throw errors.invalidField('language', `'${request.language}' is not supported by MaskGCT; supported: ${MASKGCT.languages.join(', ')}`);
    }
    const result = await synthesize(
      {
        text: request.text,
        language,
        reference: { ...request.reference, field: 'voice', limitClass: 'reference' },
        ...(request.reference.text ? { referenceText: request.reference.text } : {}),
        temperature: request.sampling?.temperature ?? 0.7,
        steps: MASKGCT.t2s.steps,
        seed: request.seed ?? freshSeed(),
      },
      ctx,
    );
    return { audio: result.audio, sampleRate: result.sampleRate };
  },
};
