// What the reference clip says. Prompt continuation conditions the LM on the clip's transcript
// followed by its audio, so without `reference_text` the hub's `asr` capability provides one;
// with neither, the client is told to send it.
import type { AsrCapability } from '../../core/capabilities.ts';
import type { AudioSource } from '../../core/audio/toolkit.ts';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';

const ASR_RATE = 16000;

export async function referenceTranscript(ctx: HandlerContext, audio: AudioSource, given: string | undefined): Promise<string> {
  if (given !== undefined && given.trim() !== '') return given;
  const asr = ctx.capabilities.find<AsrCapability>('asr');
  if (!asr) throw errors.invalidField('reference_text', 'is required with reference_audio: no speech recognition model is installed to transcribe it');
  await asr.ready();
  const pcm = await ctx.audio.decode(audio, { sampleRate: ASR_RATE, signal: ctx.signal });
  const heard = await asr.capability.transcribe({ samples: pcm.channels[0] ?? new Float32Array(0), sampleRate: ASR_RATE }, asr.context({ signal: ctx.signal, requestId: ctx.requestId }));
  if (heard.text.trim() === '') throw errors.invalidField('reference_text', `is required: '${asr.plugin}' heard no speech in reference_audio`);
  ctx.log.info('reference transcribed', { asr: asr.plugin, characters: heard.text.length });
  return heard.text;
}
