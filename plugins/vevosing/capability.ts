// VevoSing as a `voice-conversion` capability (domain 'singing'): flow-matching timbre conversion
// (the route's mode=fm) with the source as content, so the dubbing surface can re-voice a sung
// track without knowing the model. The shifted-source path runs when both clips have a pitch and
// is skipped (not refused) otherwise: a caller's track may be spoken, or silent in places.
import type { MonoAudio, VoiceConversionCapability } from '../../core/capabilities.ts';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { ENCODER_SAMPLE_RATE, MIN_CLIP_SECONDS, type Clip } from '../vevo-common/clips.ts';
import { freshSeed } from '../vevo-common/fields.ts';
import { sing } from './pipeline/sing.ts';
import { VEVOSING } from './settings.ts';

async function clipOf(ctx: HandlerContext, audio: MonoAudio, field: string, maxSeconds: number): Promise<Clip> {
  const at24k = audio.sampleRate === VEVOSING.sampleRate ? audio.samples : await ctx.audio.resample(audio.samples, audio.sampleRate, VEVOSING.sampleRate);
  const seconds = at24k.length / VEVOSING.sampleRate;
  if (seconds < MIN_CLIP_SECONDS || seconds > maxSeconds) throw errors.invalidValue(field, `is ${seconds.toFixed(2)} s long; VevoSing reads ${MIN_CLIP_SECONDS}–${maxSeconds} s`);
  return { field, at24k, at16k: await ctx.audio.resample(at24k, VEVOSING.sampleRate, ENCODER_SAMPLE_RATE) };
}

export const vevosingConversion: VoiceConversionCapability = {
  domain: 'singing',
  async convert(request, ctx) {
    const content = await clipOf(ctx, request.source, 'source', VEVOSING.maxContentSeconds);
    const reference = await clipOf(ctx, request.reference, 'reference', VEVOSING.maxReferenceSeconds);
    const seed = request.seed ?? freshSeed();
    const result = await sing({ content, reference, useShiftedSource: 'when-voiced', flowSteps: request.steps ?? VEVOSING.flowSteps, seed }, ctx);
    return { audio: result.audio, sampleRate: result.sampleRate };
  },
};
