// BigVGAN (Lee et al., 2023; NVIDIA/BigVGAN): a universal GAN vocoder with periodic
// (Snake) activations behind anti-aliased up/down-sampling. One generator graph whose mel
// bins follow the checkpoint (80, 100 or 128); the family comes from the weight folder's
// config.json, which is the checkpoint's own.
import { defineRoute, definePlugin } from '../../core/plugin/define-plugin.ts';
import type { GraphContract } from '../../core/plugin/types.ts';
import { VOCODER_INPUT } from '../mel-vocoder/mel-input.ts';
import { makeMelVocoder } from '../mel-vocoder/mel-vocoder.ts';
import { BIGVGAN_FAMILIES, DEFAULT_BIGVGAN_FAMILY } from './families.ts';

const generator = {
  file: 'generator.onnx',
  description: 'BigVGAN generator, weight norm folded in, anti-alias filters as buffers (export/export.py).',
  inputs: [{ name: 'mel', type: 'float32', dims: ['batch', 'mels', 'frames'], description: 'ln-mel with the checkpoint’s bins (80, 100 or 128)' }],
  outputs: [{ name: 'audio', type: 'float32', dims: ['batch', 1, 'frames*256'], description: 'waveform in [-1, 1]' }],
  memoryMb: 500,
} as const satisfies GraphContract;

const vocoder = makeMelVocoder({
  graph: 'generator',
  families: BIGVGAN_FAMILIES,
  defaultFamily: DEFAULT_BIGVGAN_FAMILY,
  limits: { hop: 256 },
});

const vocode = defineRoute({
  method: 'POST',
  path: '/vocoder/bigvgan',
  summary: 'Vocode with BigVGAN (22/24/44 kHz, 80/100/128 mels by checkpoint)',
  description:
    'Turns a log-mel spectrogram (.npy, [n_mels, frames]) into audio, or re-synthesises an audio file through its mel ' +
    '(computed with the installed checkpoint’s own parameters). The checkpoint family comes from the weight folder’s ' +
    'config.json (default bigvgan_v2_24khz_100band_256x) and is named in the `X-Vocoder-Family` header.',
  fields: { type: 'object', properties: {}, additionalProperties: false },
  uploads: [VOCODER_INPUT],
  produces: 'audio',
  idempotent: true,
  cost: 2,
  handler: (input, ctx) => vocoder.handle(input.files.audio, ctx),
});

export default definePlugin({
  name: 'bigvgan',
  title: 'BigVGAN',
  task: 'vocoder',
  summary: 'BigVGAN universal neural vocoder: log-mel → waveform (base, v1 and v2 checkpoints, 256x).',
  license: 'MIT',
  sampleRate: DEFAULT_BIGVGAN_FAMILY.mel.sampleRate,
  graphs: { generator },
  routes: [vocode],
  capabilities: { vocoder: vocoder.capability },
});
