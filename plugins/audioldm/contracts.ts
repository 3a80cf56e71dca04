// AudioLDM's four graphs (diffusers layout of cvssp/audioldm-s-full-v2, see EXPORT.md):
// CLAP's text tower with its projection, the UNet conditioned through `class_labels` (no
// cross-attention), and the shared latent decoder (VAE decoder + 16 kHz HiFi-GAN).
import type { GraphContract } from '../../core/plugin/types.ts';
import { clapTextEncoder, TEXT_EMBED } from '../clap-text/contract.ts';
import { vaeDecoder, vocoder } from '../mel-latent/contracts.ts';
import { MEL_LATENT } from '../mel-latent/layout.ts';

const latent = ['batch', MEL_LATENT.latentChannels, 'latent_frames', MEL_LATENT.latentBins] as const;

export const unet = {
  file: 'unet.onnx',
  description: 'UNet2DConditionModel, class_embed_type simple_projection concatenated to the time embedding; encoder_hidden_states=None.',
  inputs: [
    { name: 'sample', type: 'float32', dims: latent, description: 'noisy latent x_t' },
    { name: 'timestep', type: 'int64', dims: ['batch'], description: 'training timestep t, one per item' },
    { name: 'class_labels', type: 'float32', dims: ['batch', TEXT_EMBED], description: 'L2-normalised CLAP text embedding' },
  ],
  outputs: [{ name: 'noise', type: 'float32', dims: latent, description: 'predicted ε' }],
  memoryMb: 750,
  // Group norms and attention stay within an item: cond and uncond (or two requests) may share a run.
  batch: { axis: 'batch' },
} as const satisfies GraphContract;

export const AUDIOLDM_GRAPHS = { text_encoder: clapTextEncoder, unet, vae_decoder: vaeDecoder, vocoder };
