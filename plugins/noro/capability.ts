// Noro as a `voice-conversion` capability (core/capabilities.ts): speech in, the reference's
// voice out, with the route's defaults; the dubbing and studio surfaces call it without
// knowing the model.
import type { VoiceConversionCapability } from '../../core/capabilities.ts';
import { randomInt } from 'node:crypto';
import { checkedClip } from './pipeline/clips.ts';
import { convert } from './pipeline/convert.ts';
import { NORO } from './settings.ts';

export const noroVoiceConversion: VoiceConversionCapability = {
  domain: 'speech',
  async convert(request, ctx) {
    const at16k = async (audio: { samples: Float32Array; sampleRate: number }) =>
      audio.sampleRate === NORO.sampleRate ? audio.samples : ctx.audio.resample(audio.samples, audio.sampleRate, NORO.sampleRate);
    const source = checkedClip('source', await at16k(request.source), NORO.maxSourceSeconds);
    const target = checkedClip('reference', await at16k(request.reference), NORO.maxReferenceSeconds);
    const seed = request.seed ?? randomInt(0, 2 ** 32 - 1);
    const result = await convert({ source, target, steps: request.steps ?? NORO.steps, noiseDivisor: NORO.noiseDivisor, seed }, ctx);
    return { audio: result.audio, sampleRate: result.sampleRate };
  },
};
