// AudioLDM (Liu et al., 2023; haoheliu/AudioLDM, diffusers AudioLDMPipeline): text-to-audio by
// latent diffusion on a mel image, conditioned on CLAP's text embedding. Its VAE decoder and
// vocoder are offered to other mel-latent models (PicoAudio) as a capability.
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { MEL_LATENT_DECODER, melLatentDecoder } from '../mel-latent/decoder.ts';
import { MEL_LATENT } from '../mel-latent/layout.ts';
import { AUDIOLDM_GRAPHS } from './contracts.ts';
import { audioldmRoute } from './route.ts';

export default definePlugin({
  name: 'audioldm',
  title: 'AudioLDM',
  task: 'tta',
  summary: 'Text-to-audio latent diffusion (AudioLDM-S full v2): CLAP text, DDIM with guidance, VAE, 16 kHz HiFi-GAN.',
  license: 'CC-BY-NC-SA-4.0',
  sampleRate: MEL_LATENT.sampleRate,
  graphs: AUDIOLDM_GRAPHS,
  routes: [audioldmRoute],
  capabilities: { [MEL_LATENT_DECODER]: melLatentDecoder },
});
