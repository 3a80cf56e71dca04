// Vevo-TTS as a `tts` capability, so /v1/audio/speech can speak with a stored reference voice.
import type { TtsCapability } from '../../core/capabilities.ts';
import { errors } from '../../core/errors.ts';
import { speak } from './pipeline/speak.ts';
import { freshSeed, samplingOf } from './routes/fields.ts';
import { VEVO } from './settings.ts';

export const vevoTts: TtsCapability = {
  supports: ['reference', 'temperature', 'top_p', 'max_new_tokens', 'seed'],
  voices: async () => [],
  async synthesize(request, ctx) {
    if (!request.reference) throw errors.invalidField('voice', 'Vevo speaks in the voice of a reference clip: register one (POST /v1/references/add) and name it as the voice');
    const seed = request.seed ?? freshSeed();
    const result = await speak(
      {
        text: request.text,
        language: ctx.text.resolveLanguage(request.language ?? 'en', 'language'),
        reference: { ...request.reference, field: 'voice', limitClass: 'reference' },
        referenceField: 'voice',
        ...(request.reference.text ? { referenceText: request.reference.text } : {}),
        sampling: samplingOf({ temperature: request.sampling?.temperature, top_p: request.sampling?.top_p, max_new_tokens: request.sampling?.max_new_tokens }, seed),
        flowSteps: VEVO.flowSteps,
      },
      ctx,
    );
    return { audio: result.audio, sampleRate: result.sampleRate };
  },
};
