// The mel-based variants end with the hub's vocoder capability: Amphion ships a BigVGAN
// fine-tuned on singing (24 kHz, 100 bins, hop 256: the `bigvgan` plugin's default family).
// The named one is taken when its mel is the models' mel; otherwise any installed vocoder
// whose mel matches and that needs nothing but the mel.
import type { VocoderCapability } from '../../../core/capabilities.ts';
import { errors } from '../../../core/errors.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { SVC } from '../settings.ts';

export const PREFERRED_VOCODER = 'bigvgan';

export async function vocodeMel(melBinMajor: Float32Array, frames: number, ctx: HandlerContext): Promise<{ audio: Float32Array; sampleRate: number; vocoder: string }> {
  const candidates = ctx.capabilities.list<VocoderCapability>('vocoder');
  const ordered = [...candidates.filter((p) => p.plugin === PREFERRED_VOCODER), ...candidates.filter((p) => p.plugin !== PREFERRED_VOCODER)];
  for (const provider of ordered) {
    if (provider.capability.needsF0) continue;
    await provider.ready();
    const vocoderCtx = provider.context({ signal: ctx.signal, requestId: ctx.requestId, progress: ctx.progress });
    const mel = await provider.capability.melOptions(vocoderCtx);
    if (mel.sampleRate !== SVC.sampleRate || mel.nMels !== SVC.nMels || mel.hop !== SVC.hop) continue;
    const { audio, sampleRate } = await provider.capability.vocode({ data: melBinMajor, nMels: SVC.nMels, frames }, vocoderCtx);
    return { audio, sampleRate, vocoder: provider.plugin };
  }
  throw errors.unavailable(
    `plugin '${ctx.plugin.name}' needs a vocoder for ${SVC.sampleRate} Hz, ${SVC.nMels}-bin, hop-${SVC.hop} mels (${PREFERRED_VOCODER} with Amphion's singing BigVGAN, or its bigvgan_v2_24khz_100band_256x family); none is usable now: GET /api/health shows each plugin's weight state`,
  );
}
