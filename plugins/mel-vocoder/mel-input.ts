// A vocoder's input: an audio file (analysis–synthesis: its mel is computed with exactly
// the checkpoint's parameters) or a mel spectrogram saved with numpy, checked against the
// bins the checkpoint takes.
import type { MelOptions } from '../../core/audio/feature-types.ts';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { readUpload } from '../../core/plugin/read-upload.ts';
import type { UploadDecl, UploadedFile } from '../../core/plugin/types.ts';
import type { Mel } from './chunking.ts';
import { readNpyFloat32, type NpyArray } from './npy.ts';

export const VOCODER_INPUT = {
  name: 'audio',
  class: 'content',
  required: true,
  accept: 'audio-or-npy',
  description:
    'Audio to re-synthesise (its mel is computed with the checkpoint’s own parameters), or a log-mel spectrogram as a float32 .npy of shape [n_mels, frames] or [1, n_mels, frames]',
} as const satisfies UploadDecl;

/** The longest audio a .npy mel may ask for (the default duration limit of content uploads). */
export const MAX_MEL_SECONDS = 600;

/** `[n, frames]` or `[1, n, frames]` with n the checkpoint's bins; every refusal says what was expected. */
export function melOfArray(array: NpyArray, mel: Pick<MelOptions, 'nMels' | 'hop' | 'sampleRate'>, field: string): Mel {
  const { shape } = array;
  const expected = `[${mel.nMels}, frames] or [1, ${mel.nMels}, frames]`;
  const found = `[${shape.join(', ')}]`;
  const rows = shape.length === 2 ? shape[0]! : shape.length === 3 && shape[0] === 1 ? shape[1]! : undefined;
  if (rows === undefined) throw errors.invalidField(field, `mel must have shape ${expected}; found ${found}`);
  const frames = shape[shape.length - 1]!;
  if (rows !== mel.nMels) {
    const transposed = frames === mel.nMels ? ' (it looks transposed: frames first)' : '';
    throw errors.invalidField(field, `mel must have ${mel.nMels} bins, shape ${expected}; found ${found}${transposed}`);
  }
  if (frames === 0) throw errors.invalidField(field, `mel has no frames; found ${found}`);
  const seconds = (frames * mel.hop) / mel.sampleRate;
  if (seconds > MAX_MEL_SECONDS) {
    throw errors.payloadTooLarge(`${field}: mel of ${frames} frames is ${seconds.toFixed(1)} s of audio; the limit is ${MAX_MEL_SECONDS} s`);
  }
  const bad = array.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw errors.invalidField(field, `mel holds a non-finite value (${array.data[bad]}) at bin ${Math.floor(bad / frames)}, frame ${bad % frames}`);
  return { data: array.data, nMels: rows, frames };
}

export async function melOfNpyFile(file: UploadedFile, mel: MelOptions): Promise<Mel> {
  return melOfArray(readNpyFloat32(await readUpload(file), file.field), mel, file.field);
}

export interface MelInputOptions {
  /** Nothing reads the upload after this (no F0 to track on it): its bytes move to the worker instead of being copied. */
  readonly lastRead?: boolean;
}

/** Decodes the audio at the checkpoint's rate and computes its mel with the checkpoint's parameters. */
export async function melOfAudioFile(file: UploadedFile, mel: MelOptions, ctx: HandlerContext, options: MelInputOptions = {}): Promise<Mel> {
  // With (n_fft − hop)/2 padding each side, a frame needs n_fft − 2·pad = hop samples.
  const { samples, mel: features } = await ctx.audio.decodeMel(file, mel, { minSamples: mel.hop, signal: ctx.signal, consume: options.lastRead });
  if (!features) {
    throw errors.badAudio(file.field, `audio of ${samples} samples at ${mel.sampleRate} Hz is too short: at least ${mel.hop} are needed for one mel frame`);
  }
  return { data: features.data, nMels: features.dims[0], frames: features.dims[1] };
}

export function melOfUpload(file: UploadedFile, mel: MelOptions, ctx: HandlerContext, options: MelInputOptions = {}): Promise<Mel> {
  return file.format === 'npy' ? melOfNpyFile(file, mel) : melOfAudioFile(file, mel, ctx, options);
}
