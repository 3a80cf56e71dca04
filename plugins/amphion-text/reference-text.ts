// What a reference clip says, for the Amphion zero-shot TTS models that condition on the
// reference's phones (MaskGCT, Vevo-TTS): the client's transcript, else the hub's `asr`
// capability transcribes it; with neither, the client is told to send `reference_text`.
import type { AsrCapability } from '../../core/capabilities.ts';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';

export interface ReferenceText {
  readonly text: string;
  /** The language the ASR heard, when it says. */
  readonly language?: string;
  readonly source: 'client' | 'asr';
  /** The plugin that transcribed it and its weight state (smoke transcripts mean nothing). */
  readonly asr?: { readonly plugin: string; readonly weightState: string };
}

/** The rule a client reads when a transcript gives no phones: the fix is to send reference_text. */
export function unusableTranscript(reference: ReferenceText): string | undefined {
  if (reference.source !== 'asr' || !reference.asr) return undefined;
  const smoke = reference.asr.weightState === 'smoke' ? ` ('${reference.asr.plugin}' runs on smoke graphs: its transcripts are meaningless)` : '';
  return `is required: '${reference.asr.plugin}' transcribed reference_audio as ${JSON.stringify(reference.text.slice(0, 80))}, which has no pronounceable text${smoke}`;
}

export async function referenceTextOf(
  ctx: Pick<HandlerContext, 'capabilities' | 'signal' | 'requestId' | 'log'>,
  given: string | undefined,
  reference16k: Float32Array,
  languageHint: string | undefined,
): Promise<ReferenceText> {
  if (given !== undefined && given.trim() !== '') return { text: given, source: 'client' };
  const asr = ctx.capabilities.find<AsrCapability>('asr');
  if (!asr) throw errors.invalidValue('reference_text', 'is required: no speech recognition model is installed to transcribe reference_audio');
  await asr.ready();
  const asrContext = asr.context({ signal: ctx.signal, requestId: ctx.requestId });
  const heard = await asr.capability.transcribe({ samples: reference16k, sampleRate: 16000, ...(languageHint ? { language: languageHint } : {}) }, asrContext);
  ctx.log.info('reference transcribed', { asr: asr.plugin, characters: heard.text.length, language: heard.language });
  if (heard.text.trim() === '') throw errors.invalidValue('reference_text', `is required: '${asr.plugin}' heard no speech in reference_audio`);
  return { text: heard.text, ...(heard.language ? { language: heard.language } : {}), source: 'asr', asr: { plugin: asr.plugin, weightState: asrContext.weightState } };
}
