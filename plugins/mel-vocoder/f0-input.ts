// F0 for vocoders driven by pitch as well as the mel (capability `needsF0`): an `f0` upload
// (.npy, Hz per mel frame, 0 = unvoiced), or tracked on the `audio` upload when that is a
// recording, on the vocoder's own frame grid. Neither → 422 naming `f0`.
import type { MelOptions } from '../../core/audio/feature-types.ts';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { readUpload } from '../../core/plugin/read-upload.ts';
import type { UploadDecl, UploadedFile } from '../../core/plugin/types.ts';
import { f0OnGrid } from '../nsf-hifigan/f0-frames.ts';
import { readNpyFloat32 } from './npy.ts';

export const F0_INPUT = {
  name: 'f0',
  class: 'content',
  accept: 'npy',
  description:
    'For vocoders driven by F0 (nsf_hifigan): Hz per mel frame (0 = unvoiced) as a float32 .npy of shape [frames] or [1, frames]. ' +
    'Without it F0 is computed from `audio` when that is a recording.',
} as const satisfies UploadDecl;

/** [frames] or [1, frames], finite, ≥ 0, one value per mel frame. */
export function f0OfArray(array: { data: Float32Array; shape: readonly number[] }, frames: number, field: string): Float32Array {
  const { shape, data } = array;
  if (!(shape.length === 1 || (shape.length === 2 && shape[0] === 1))) {
    throw errors.invalidValue(field, `F0 must have shape [frames] or [1, frames]; found [${shape.join(', ')}]`);
  }
  if (data.length !== frames) throw errors.invalidValue(field, `F0 has ${data.length} values; the mel has ${frames} frames and needs one F0 value (Hz, 0 = unvoiced) per frame`);
  const bad = data.findIndex((v) => !Number.isFinite(v) || v < 0);
  if (bad >= 0) throw errors.invalidValue(field, `F0 must be finite Hz ≥ 0; found ${data[bad]} at frame ${bad}`);
  return data;
}

export async function f0ForUpload(
  audio: UploadedFile,
  f0File: UploadedFile | undefined,
  mel: Pick<MelOptions, 'sampleRate' | 'hop'>,
  frames: number,
  ctx: HandlerContext,
): Promise<Float32Array> {
  if (f0File) return f0OfArray(readNpyFloat32(await readUpload(f0File), f0File.field), frames, f0File.field);
  if (audio.format === 'npy') {
    throw errors.invalidValue('f0', 'this vocoder is driven by F0 as well as the mel: upload `f0` (.npy, Hz per mel frame, 0 = unvoiced) with a .npy mel, or give `audio` as a recording to compute F0 from');
  }
  const { channels } = await ctx.audio.decode(audio, { sampleRate: mel.sampleRate, mono: true, signal: ctx.signal });
  return f0OnGrid(ctx, channels[0]!, { sampleRate: mel.sampleRate, hop: mel.hop, frames });
}
