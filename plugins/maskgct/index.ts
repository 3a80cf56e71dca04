// MaskGCT (Amphion): zero-shot text-to-speech by masked generative codec transformers.
// Ten ONNX graphs (graphs.ts, EXPORT.md), two mask-predict loops in TypeScript (sampling/),
// and the pipeline as numbered steps (pipeline/synthesize.ts).
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { MASKGCT_STAGES } from '../maskgct-common/stages.ts';
import { maskgctTts } from './capability.ts';
import { graphs } from './graphs.ts';
import { maskgctRoute } from './route.ts';
import { MASKGCT } from './settings.ts';
import { maskgctStages } from './stages.ts';

export default definePlugin({
  name: 'maskgct',
  title: 'MaskGCT',
  task: 'tts',
  summary: 'Zero-shot TTS (Amphion MaskGCT): clones a voice from a few seconds of reference speech; en, zh, fr, de, ko.',
  license: 'CC-BY-NC-4.0 (weights, amphion/MaskGCT); code MIT (Amphion)',
  sampleRate: MASKGCT.sampleRate,
  graphs,
  routes: [maskgctRoute],
  // tts: the OpenAI surface; maskgct-stages: its codecs, S2A and mask-predict for the MaskGCT family (Metis)
  capabilities: { tts: maskgctTts, [MASKGCT_STAGES]: maskgctStages },
});
