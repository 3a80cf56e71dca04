// BigVGAN-v2 44 kHz, 128 bands, 512x upsampling: the one published checkpoint whose frames
// become 512 samples, so its generator has a contract of its own (and a weight folder of
// its own). Everything else is the `bigvgan` plugin's.
import { definePlugin } from '../../../core/plugin/define-plugin.ts';
import { makeMelVocoder } from '../../mel-vocoder/mel-vocoder.ts';
import { bigvganGenerator, bigvganRoute } from '../declaration.ts';
import { BIGVGAN_512X_FAMILIES } from '../families.ts';

const family = BIGVGAN_512X_FAMILIES[0]!;

const vocoder = makeMelVocoder({
  graph: 'generator',
  families: BIGVGAN_512X_FAMILIES,
  defaultFamily: family,
  limits: { hop: 512, nMels: 128 },
});

export default definePlugin({
  name: 'bigvgan-512x',
  title: 'BigVGAN-v2 512x',
  task: 'vocoder',
  summary: 'BigVGAN-v2 44 kHz, 128-band, 512x-upsampling vocoder (n_fft 2048, hop 512).',
  license: 'MIT',
  sampleRate: family.mel.sampleRate,
  graphs: { generator: bigvganGenerator({ hop: 512, mels: 128, memoryMb: 550 }) },
  routes: [
    bigvganRoute({
      path: '/vocoder/bigvgan-512x',
      summary: 'Vocode with BigVGAN-v2 44 kHz, 128 bands, 512x',
      families: family.id,
      vocoder,
    }),
  ],
  capabilities: { vocoder: vocoder.capability },
});
