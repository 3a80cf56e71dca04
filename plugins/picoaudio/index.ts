// PicoAudio (Xie et al., 2024; zeyuxie29/PicoAudio): text-to-audio with control of when, and
// how often, each sound event occurs, by a UNet conditioned on a timestamp matrix and the
// CLAP embedding of the event names. Built on AudioLDM-S's VAE and vocoder, used through
// the AudioLDM plugin's capability.
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { MEL_LATENT } from '../mel-latent/layout.ts';
import { PICO_GRAPHS } from './contracts.ts';
import { picoaudioRoute } from './route.ts';

export default definePlugin({
  name: 'picoaudio',
  title: 'PicoAudio',
  task: 'tta',
  summary: 'Timestamp- and frequency-controlled sound events: caption parser, CLAP event embedding, timestamp-conditioned latent diffusion.',
  license: 'unspecified (no licence file in zeyuxie29/PicoAudio)',
  sampleRate: MEL_LATENT.sampleRate,
  graphs: PICO_GRAPHS,
  routes: [picoaudioRoute],
});
