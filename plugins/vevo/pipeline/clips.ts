// An uploaded clip as Vevo reads it (`load_wav`): decoded at 24 kHz, then
// torchaudio.functional.resample(24000 → 16000) for HuBERT. Too short or too long is the
// client's mistake, answered naming the field and the limit.
import type { AudioSource } from '../../../core/audio/toolkit.ts';
import { errors } from '../../../core/errors.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { VEVO } from '../settings.ts';

export interface Clip {
  readonly field: string;
  readonly at24k: Float32Array;
  readonly at16k: Float32Array;
}

export async function readClip(ctx: Pick<HandlerContext, 'audio' | 'signal'>, source: AudioSource, field: string, maxSeconds: number): Promise<Clip> {
  const decoded = await ctx.audio.decode(source, { sampleRate: VEVO.sampleRate, signal: ctx.signal });
  const at24k = decoded.channels[0] ?? new Float32Array(0);
  const seconds = at24k.length / VEVO.sampleRate;
  if (seconds < VEVO.minSeconds) throw errors.badAudio(field, `is ${seconds.toFixed(3)} s long; Vevo needs at least ${VEVO.minSeconds} s of audio`);
  if (seconds > maxSeconds) throw errors.invalidValue(field, `is ${seconds.toFixed(1)} s long; the limit is ${maxSeconds} s`);
  const at16k = await ctx.audio.resample(at24k, VEVO.sampleRate, VEVO.hubertSampleRate);
  return { field, at24k, at16k };
}
