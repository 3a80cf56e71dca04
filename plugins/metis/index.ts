// Metis (Amphion): a foundation speech generation model with masked generative pre-training,
// served here fine-tuned for TTS. Its own graphs are the T2S pair (graphs.ts, EXPORT.md); the
// codecs, S2A models and mask-predict loop are MaskGCT's, through the `maskgct-stages`
// capability (plugins/maskgct-common/stages.ts). Pipeline: synthesize.ts.
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { metisTts } from './capability.ts';
import { graphs } from './graphs.ts';
import { metisRoute } from './route.ts';

export default definePlugin({
  name: 'metis',
  title: 'Metis',
  task: 'tts',
  summary: 'TTS with Amphion Metis (MaskGCT family, masked generative pre-training); clones a reference voice when one is given; en, zh, fr, de, ko.',
  license: 'CC-BY-NC-4.0 (weights, amphion/metis and amphion/MaskGCT); code MIT (Amphion)',
  sampleRate: 24000,
  graphs,
  routes: [metisRoute],
  capabilities: { tts: metisTts },
});
