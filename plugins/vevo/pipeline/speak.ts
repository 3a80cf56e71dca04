// Vevo-TTS (inference_ar_and_fm with text): phones of the reference's transcript ⧺ phones of the
// text feed PhoneToVq8192, prompted with the reference's vq8192 tokens; the reference is both
// style and timbre reference. Without a transcript the hub's ASR supplies one.
import { errors } from '../../../core/errors.ts';
import type { AudioSource } from '../../../core/audio/toolkit.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { phonesOf, phoneVocabulary } from '../../amphion-text/phones.ts';
import { referenceTextOf, unusableTranscript } from '../../amphion-text/reference-text.ts';
import { VEVO } from '../settings.ts';
import type { ArSampling } from './autoregressive.ts';
import { readClip } from '../../vevo-common/clips.ts';
import { synthesize, type Synthesis } from './synthesize.ts';

export interface SpeakRequest {
  readonly text: string;
  readonly language: string;
  readonly reference: AudioSource;
  readonly referenceField: string;
  readonly referenceText?: string;
  readonly referenceLanguage?: string;
  readonly sampling: ArSampling;
  readonly flowSteps: number;
}

export async function speak(request: SpeakRequest, ctx: HandlerContext): Promise<Synthesis> {
  if (!(VEVO.languages as readonly string[]).includes(request.language)) {
    throw errors.invalidValue('language', `'${request.language}' is not spoken by Vevo here; supported: ${VEVO.languages.join(', ')}`);
  }
  const reference = await readClip(ctx, request.reference, request.referenceField, VEVO.maxReferenceSeconds);
  const vocab = await phoneVocabulary(ctx, VEVO.phoneVocabFile);
  const heard = await referenceTextOf(ctx, request.referenceText, reference.at16k, request.referenceLanguage ?? request.language);
  const referencePhones = await phonesOf(ctx, vocab, heard.text, request.referenceLanguage ?? request.language, 'reference_text', unusableTranscript(heard));
  const targetPhones = await phonesOf(ctx, vocab, request.text, request.language, 'text');
  // ar_input_ids = cat([g2p(style_ref_text), g2p(src_text)])
  const phones = [...referencePhones.ids, ...targetPhones.ids];
  ctx.log.info('vevo tts front end', { referencePhones: referencePhones.ids.length, targetPhones: targetPhones.ids.length, referenceText: heard.source });
  return synthesize({ timbre: reference, ar: { kind: 'tts', phones, style: reference, sampling: request.sampling }, flowSteps: request.flowSteps, seed: request.sampling.seed }, ctx);
}
