// Step 1c of the pipeline: what the reference clip says. MaskGCT conditions on the
// reference's phones, so without a transcript the hub's `asr` capability provides one;
// with neither, the client is told to send `reference_text`.
import type { AsrCapability } from '../../../core/capabilities.ts';
import { errors } from '../../../core/errors.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';

export interface ReferenceText {
  readonly text: string;
  /** The language the ASR heard, when it says. */
  readonly language?: string;
  readonly source: 'client' | 'asr';
}

export async function referenceTextOf(
  ctx: Pick<HandlerContext, 'capabilities' | 'signal' | 'requestId' | 'log'>,
  given: string | undefined,
  reference16k: Float32Array,
  languageHint: string | undefined,
): Promise<ReferenceText> {
  if (given !== undefined && given.trim() !== '') return { text: given, source: 'client' };
  const asr = ctx.capabilities.find<AsrCapability>('asr');
  if (!asr) throw errors.invalidField('reference_text', 'is required: no speech recognition model is installed to transcribe reference_audio');
  await asr.ready();
  const heard = await asr.capability.transcribe(
    { samples: reference16k, sampleRate: 16000, ...(languageHint ? { language: languageHint } : {}) },
    asr.context({ signal: ctx.signal, requestId: ctx.requestId }),
  );
  ctx.log.info('reference transcribed', { asr: asr.plugin, characters: heard.text.length, language: heard.language });
  if (heard.text.trim() === '') throw errors.invalidField('reference_text', `is required: '${asr.plugin}' heard no speech in reference_audio`);
  return { text: heard.text, ...(heard.language ? { language: heard.language } : {}), source: 'asr' };
}
