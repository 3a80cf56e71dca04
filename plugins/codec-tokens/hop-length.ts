// A codec encodes whole hops: the audio is zero-padded at the end to a multiple of the hop
// before the encoder sees it (as DAC's `preprocess` does), and the decoded audio is cut
// back to the original length, so encode → decode returns exactly as many samples as went in.
import { errors } from '../../core/errors.ts';

export interface Padded {
  readonly samples: Float32Array;
  /** Codec frames: ceil(length / hop), at least 1. */
  readonly frames: number;
}

export function padToHop(audio: Float32Array, hop: number): Padded {
  const frames = Math.max(1, Math.ceil(audio.length / hop));
  if (audio.length === frames * hop) return { samples: audio, frames };
  const samples = new Float32Array(frames * hop);
  samples.set(audio);
  return { samples, frames };
}

/**
 * The original length a client gives back must be one that `frames` frames encode:
 * more than (frames − 1) hops and at most frames hops.
 */
export function checkLength(field: string, length: number, frames: number, hop: number): void {
  const low = (frames - 1) * hop + 1;
  const high = frames * hop;
  if (length < low || length > high) {
    throw errors.invalidField(field, `is ${length} samples, but ${frames} frames encode ${low}..${high} samples (hop ${hop})`);
  }
}

/** The first `length` samples (a view), or all of them when no length is given. */
export function trimTo(audio: Float32Array, length: number | undefined): Float32Array {
  return length === undefined || length >= audio.length ? audio : audio.subarray(0, length);
}
