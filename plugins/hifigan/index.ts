// HiFi-GAN (Kong et al., 2020; jik876/hifi-gan): a GAN vocoder turning an 80-bin log-mel at
// 22.05 kHz into a waveform, 256 samples per frame. One generator graph; the pipeline
// (family from config.json, mel analysis, chunked generation) is shared with BigVGAN.
import { defineRoute, definePlugin } from '../../core/plugin/define-plugin.ts';
import type { GraphContract } from '../../core/plugin/types.ts';
import { VOCODER_INPUT } from '../mel-vocoder/mel-input.ts';
import { makeMelVocoder } from '../mel-vocoder/mel-vocoder.ts';
import { DEFAULT_HIFIGAN_FAMILY, HIFIGAN_FAMILIES } from './families.ts';

const generator = {
  file: 'generator.onnx',
  description: 'HiFi-GAN generator with weight norm folded in (export/export.py).',
  inputs: [{ name: 'mel', type: 'float32', dims: ['batch', 80, 'frames'], description: 'ln-mel, 22.05 kHz, hop 256' }],
  outputs: [{ name: 'audio', type: 'float32', dims: ['batch', 1, 'frames*256'], description: 'waveform in (-1, 1)' }],
  memoryMb: 60,
  // Convolutions only: items along the batch never mix, so concurrent requests may share a run.
  batch: { axis: 'batch' },
} as const satisfies GraphContract;

const vocoder = makeMelVocoder({
  graph: 'generator',
  families: HIFIGAN_FAMILIES,
  defaultFamily: DEFAULT_HIFIGAN_FAMILY,
  limits: { hop: 256, nMels: 80 },
});

const vocode = defineRoute({
  method: 'POST',
  path: '/vocoder/hifigan',
  summary: 'Vocode with HiFi-GAN (22.05 kHz, 80 mels)',
  description:
    'Turns a log-mel spectrogram (.npy, [80, frames]) into audio, or re-synthesises an audio file through its mel ' +
    '(computed with the checkpoint’s own parameters: 22.05 kHz, n_fft 1024, hop 256, fmax 8 kHz). ' +
    'The `X-Vocoder-Family` header names the checkpoint family (v1, v2, v3) read from the weight folder’s config.json.',
  fields: { type: 'object', properties: {}, additionalProperties: false },
  uploads: [VOCODER_INPUT],
  produces: 'audio',
  idempotent: true,
  handler: (input, ctx) => vocoder.handle(input.files.audio, ctx),
});

export default definePlugin({
  name: 'hifigan',
  title: 'HiFi-GAN',
  task: 'vocoder',
  summary: 'HiFi-GAN neural vocoder: 80-bin log-mel → 22.05 kHz waveform (V1/V2/V3 checkpoints).',
  license: 'MIT',
  sampleRate: DEFAULT_HIFIGAN_FAMILY.mel.sampleRate,
  graphs: { generator },
  routes: [vocode],
  capabilities: { vocoder: vocoder.capability },
});
