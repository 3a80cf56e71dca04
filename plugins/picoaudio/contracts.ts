// PicoAudio's own graphs: LAION-CLAP's text branch (same contract as AudioLDM's CLAP) and the
// timestamp-conditioned UNet. The VAE decoder and the vocoder are AudioLDM-S's, reached
// through AudioLDM's `mel-latent-decoder` capability (see EXPORT.md).
import type { GraphContract } from '../../core/plugin/types.ts';
import { clapTextEncoder, TEXT_EMBED } from '../clap-text/contract.ts';
import { MEL_LATENT } from '../mel-latent/layout.ts';
import { LATENT_FRAMES, TIMESTAMP_ROWS } from './timestamps.ts';

const latent = ['batch', MEL_LATENT.latentChannels, LATENT_FRAMES, MEL_LATENT.latentBins] as const;

export const picoUnet = {
  file: 'unet.onnx',
  description:
    'UNet2DConditionModel (utils/configs/frequency.json): the timestamp matrix reshaped to 2 channels and concatenated before the latent (10 in), ' +
    'the CLAP event embedding repeated to 1024 as the one cross-attention token.',
  inputs: [
    { name: 'sample', type: 'float32', dims: latent, description: 'noisy latent x_t (always 10.24 s)' },
    { name: 'timestep', type: 'int64', dims: ['batch'] },
    { name: 'timestamps', type: 'float32', dims: ['batch', TIMESTAMP_ROWS, LATENT_FRAMES], description: '1 where event row r sounds at latent frame f' },
    { name: 'event_embedding', type: 'float32', dims: ['batch', TEXT_EMBED], description: 'L2-normalised CLAP embedding of the event names' },
  ],
  outputs: [{ name: 'prediction', type: 'float32', dims: latent, description: 'v-prediction (the scheduler config of stable-diffusion-2-1)' }],
  memoryMb: 1000,
  batch: { axis: 'batch' },
} as const satisfies GraphContract;

export const PICO_GRAPHS = { text_encoder: clapTextEncoder, unet: picoUnet };
