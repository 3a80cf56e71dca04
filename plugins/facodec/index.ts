// FACodec (NaturalSpeech 3, Amphion): a 16 kHz speech codec that factorises speech into
// prosody, content and acoustic-detail codes plus a speaker embedding. Two graphs (graphs.ts,
// EXPORT.md); encode, decode and voice conversion through the codec (routes.ts).
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { graphs } from './graphs.ts';
import { convertRoute, decodeRoute, encodeRoute } from './routes.ts';
import { FACODEC } from './settings.ts';

export default definePlugin({
  name: 'facodec',
  title: 'FACodec',
  task: 'codec',
  summary: 'FACodec (NaturalSpeech 3): 16 kHz speech as prosody, content and acoustic-detail codes (80 frames/s, 1 + 2 + 3 × 1024) plus a speaker embedding; voice conversion by swapping it.',
  license: 'apache-2.0 (weights, amphion/naturalspeech3_facodec); code MIT (Amphion)',
  sampleRate: FACODEC.sampleRate,
  graphs,
  routes: [encodeRoute, decodeRoute, convertRoute],
});
