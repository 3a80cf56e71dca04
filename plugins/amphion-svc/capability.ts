// Each SVC model as a `voice-conversion` capability (domain 'singing'), so the dubbing surface
// can re-sing a track with it: the reference picks the nearest trained singer, the automatic key
// match is on, and `steps`/`seed` go to the sampler. Any rate in; the models' 24 kHz out.
import type { MonoAudio, VoiceConversionCapability } from '../../core/capabilities.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { convert } from './pipeline/convert.ts';
import { SVC } from './settings.ts';
import type { SvcVariant } from './variants.ts';

const at24k = async (audio: MonoAudio, ctx: HandlerContext) =>
  audio.sampleRate === SVC.sampleRate ? audio.samples : ctx.audio.resample(audio.samples, audio.sampleRate, SVC.sampleRate);

export function svcConversion(variant: SvcVariant): VoiceConversionCapability {
  return {
    domain: 'singing',
    async convert(request, ctx) {
      const steps = Math.min(request.steps ?? variant.steps?.default ?? 1, variant.steps?.max ?? 1);
      const result = await convert(
        variant,
        {
          content: await at24k(request.source, ctx),
          reference: await at24k(request.reference, ctx),
          pitchShift: 0,
          autoKey: true,
          steps,
          seed: request.seed ?? Math.floor(Math.random() * 0x100000000),
        },
        ctx,
      );
      return { audio: result.audio, sampleRate: result.sampleRate };
    },
  };
}
