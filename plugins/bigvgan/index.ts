// BigVGAN (Lee et al., 2023; NVIDIA/BigVGAN): a universal GAN vocoder with periodic
// (Snake) activations behind anti-aliased up/down-sampling. One generator graph whose mel
// bins follow the checkpoint (80, 100 or 128); the family comes from the weight folder's
// config.json, which is the checkpoint's own. This plugin serves the 256x families.
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { makeMelVocoder } from '../mel-vocoder/mel-vocoder.ts';
import { bigvganGenerator, bigvganRoute } from './declaration.ts';
import { BIGVGAN_FAMILIES, DEFAULT_BIGVGAN_FAMILY } from './families.ts';

const vocoder = makeMelVocoder({
  graph: 'generator',
  families: BIGVGAN_FAMILIES,
  defaultFamily: DEFAULT_BIGVGAN_FAMILY,
  limits: { hop: 256 },
});

export default definePlugin({
  name: 'bigvgan',
  title: 'BigVGAN',
  task: 'vocoder',
  summary: 'BigVGAN universal neural vocoder: log-mel → waveform (base, v1 and v2 checkpoints, 256x).',
  license: 'MIT',
  sampleRate: DEFAULT_BIGVGAN_FAMILY.mel.sampleRate,
  // The mel bins follow the checkpoint (80, 100, 128): the contract names that axis `mels`.
  graphs: { generator: bigvganGenerator({ hop: 256, mels: 'mels', memoryMb: 500 }) },
  routes: [
    bigvganRoute({
      path: '/vocoder/bigvgan',
      summary: 'Vocode with BigVGAN (22/24/44 kHz, 80/100/128 mels by checkpoint)',
      families: `${BIGVGAN_FAMILIES.map((f) => f.id).join(', ')} (default ${DEFAULT_BIGVGAN_FAMILY.id})`,
      vocoder,
    }),
  ],
  capabilities: { vocoder: vocoder.capability },
});
