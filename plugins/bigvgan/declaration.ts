// What the two BigVGAN plugins share: the generator contract (which differs only in the
// samples each frame becomes) and the vocoding route. `bigvgan` serves the 256x families,
// `bigvgan-512x` the one 512x checkpoint; Noro declares its 200x (16 kHz) generator with it.
import { defineRoute } from '../../core/plugin/define-plugin.ts';
import type { GraphContract } from '../../core/plugin/types.ts';
import { VOCODER_INPUT } from '../mel-vocoder/mel-input.ts';
import type { MelVocoder } from '../mel-vocoder/mel-vocoder.ts';

export function bigvganGenerator(options: { hop: number; mels: number | 'mels'; memoryMb: number }): GraphContract {
  return {
    file: 'generator.onnx',
    description: 'BigVGAN generator, weight norm folded in, anti-alias filters as buffers (export/export.py).',
    inputs: [{ name: 'mel', type: 'float32', dims: ['batch', options.mels, 'frames'], description: 'ln-mel with the checkpoint’s bins' }],
    outputs: [{ name: 'audio', type: 'float32', dims: ['batch', 1, `frames*${options.hop}`], description: 'waveform in [-1, 1]' }],
    memoryMb: options.memoryMb,
    // Convolutions only: items along the batch never mix, so concurrent requests may share a run.
    batch: { axis: 'batch' },
  };
}

export function bigvganRoute(options: { path: string; summary: string; families: string; vocoder: MelVocoder }) {
  return defineRoute({
    method: 'POST',
    path: options.path,
    summary: options.summary,
    description:
      'Turns a log-mel spectrogram (.npy, [n_mels, frames]) into audio, or re-synthesises an audio file through its mel ' +
      `(computed with the installed checkpoint’s own parameters). Checkpoint families: ${options.families}; the one ` +
      'installed is read from the weight folder’s config.json and named in the `X-Vocoder-Family` header.',
    fields: { type: 'object', properties: {}, additionalProperties: false },
    uploads: [VOCODER_INPUT],
    produces: 'audio',
    idempotent: true,
    handler: (input, ctx) => options.vocoder.handle(input.files.audio, ctx),
  });
}
