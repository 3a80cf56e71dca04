// An uploaded clip as Vevo and VevoSing read it (`load_wav` in both vevo_utils.py and
// vevosing_utils.py): decoded at 24 kHz (mel, chroma), then torchaudio.functional.resample(24000
// → 16000) for the speech encoder (HuBERT, Whisper). Too short or too long is the client's
// mistake, answered naming the field and the limit.
import type { AudioSource } from '../../core/audio/toolkit.ts';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { VEVO_ACOUSTIC } from './settings.ts';

export const ENCODER_SAMPLE_RATE = 16000;
/** Shortest clip read: a few mel frames. */
export const MIN_CLIP_SECONDS = 0.1;

export interface Clip {
  readonly field: string;
  readonly at24k: Float32Array;
  readonly at16k: Float32Array;
}

export async function readClip(ctx: Pick<HandlerContext, 'audio' | 'signal'>, source: AudioSource, field: string, maxSeconds: number): Promise<Clip> {
  const decoded = await ctx.audio.decode(source, { sampleRate: VEVO_ACOUSTIC.sampleRate, signal: ctx.signal });
  const at24k = decoded.channels[0] ?? new Float32Array(0);
  const seconds = at24k.length / VEVO_ACOUSTIC.sampleRate;
  if (seconds < MIN_CLIP_SECONDS) throw errors.badAudio(field, `is ${seconds.toFixed(3)} s long; at least ${MIN_CLIP_SECONDS} s of audio is needed`);
  if (seconds > maxSeconds) throw errors.invalidValue(field, `is ${seconds.toFixed(1)} s long; the limit is ${maxSeconds} s`);
  const at16k = await ctx.audio.resample(at24k, VEVO_ACOUSTIC.sampleRate, ENCODER_SAMPLE_RATE);
  return { field, at24k, at16k };
}
