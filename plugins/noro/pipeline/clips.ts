// The two uploads as noro_inference.py reads them: `librosa.load(path, sr=16000)`, then the
// source zero-padded to a multiple of 1600 samples (so its 50 Hz HuBERT frames and its 80 Hz
// mel frames line up exactly: S/320 · 1.6 = S/200) and the reference to a multiple of the
// 200-sample hop. Too short or too long is the client's mistake, answered naming the field.
import type { AudioSource } from '../../../core/audio/toolkit.ts';
import { errors } from '../../../core/errors.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { NORO } from '../settings.ts';

export interface Clip {
  readonly field: string;
  /** 16 kHz mono as decoded. */
  readonly samples: Float32Array;
}

export async function readClip(ctx: Pick<HandlerContext, 'audio' | 'signal'>, source: AudioSource, field: string, maxSeconds: number): Promise<Clip> {
  const decoded = await ctx.audio.decode(source, { sampleRate: NORO.sampleRate, signal: ctx.signal });
  return checkedClip(field, decoded.channels[0] ?? new Float32Array(0), maxSeconds);
}

export function checkedClip(field: string, samples: Float32Array, maxSeconds: number): Clip {
  const seconds = samples.length / NORO.sampleRate;
  if (seconds < NORO.minSeconds) throw errors.badAudio(field, `is ${seconds.toFixed(3)} s long; Noro needs at least ${NORO.minSeconds} s of audio`);
  if (seconds > maxSeconds) throw errors.invalidValue(field, `is ${seconds.toFixed(1)} s long; the limit is ${maxSeconds} s`);
  return { field, samples };
}

/** np.pad(wav, (0, m − len % m)): always pads, by a whole m when the length is already a multiple. */
export function padToMultiple(samples: Float32Array, multiple: number): Float32Array {
  const out = new Float32Array(samples.length + multiple - (samples.length % multiple));
  out.set(samples);
  return out;
}
