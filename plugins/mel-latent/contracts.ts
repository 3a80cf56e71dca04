// The two graphs that turn a diffusion latent into audio, shared by AudioLDM and PicoAudio:
// the VAE decoder (latent → mel image) and the 16 kHz SpeechT5-style HiFi-GAN (mel → wave).
import type { GraphContract } from '../../core/plugin/types.ts';
import { MEL_LATENT } from './layout.ts';

const { latentChannels, melBins } = MEL_LATENT;

export const vaeDecoder = {
  file: 'vae_decoder.onnx',
  description: 'AutoencoderKL decoder; the export folds in the 1/scaling_factor the pipeline applies first.',
  inputs: [{ name: 'latent', type: 'float32', dims: ['batch', latentChannels, 'latent_frames', melBins / 4], description: 'denoised latent, as the scheduler leaves it' }],
  outputs: [{ name: 'mel', type: 'float32', dims: ['batch', 1, 'latent_frames*4', melBins], description: 'log-mel image, time × mel' }],
  memoryMb: 140,
  // Convolutions and per-item group norms: items along the batch never mix.
  batch: { axis: 'batch' },
} as const satisfies GraphContract;

export const vocoder = {
  file: 'vocoder.onnx',
  description: 'SpeechT5HifiGan (upsample 5·4·2·2·2 = 160, 16 kHz) with weight norm folded in.',
  inputs: [{ name: 'mel', type: 'float32', dims: ['batch', 'frames', melBins], description: 'log-mel, frames × 64' }],
  // Each transposed convolution with an odd kernel − stride adds a sample: 160·T + 32 in all.
  outputs: [{ name: 'audio', type: 'float32', dims: ['batch', 'frames*160+32'], description: '16 kHz waveform' }],
  memoryMb: 230,
  batch: { axis: 'batch' },
} as const satisfies GraphContract;
