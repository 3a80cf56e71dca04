// DualCodec-VALL-E (Amphion, DualCodec's TTS models): an AR Llama over DualCodec's semantic
// codebook (run on the generation engine, K/V resident in the worker) and a NAR model for the
// 7 acoustic codebooks (graphs.ts, EXPORT.md); DualCodec 12.5 Hz encodes the reference and
// decodes the result through its `dualcodec-codec` capability. Pipeline: synthesize.ts.
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { valleTts } from './capability.ts';
import { graphs } from './graphs.ts';
import { valleRoute } from './route.ts';
import { VALLE } from './settings.ts';

export default definePlugin({
  name: 'dualcodec-valle',
  title: 'DualCodec-VALL-E',
  task: 'tts',
  summary: 'Zero-shot TTS (Amphion DualCodec-VALL-E): AR semantic tokens + NAR acoustic tokens over DualCodec 12.5 Hz; en, zh, ja, ko, fr, de.',
  license: 'weights: amphion/dualcodec-tts model card (trained on Emilia; commercial use unconfirmed); code MIT (Amphion/DualCodec)',
  sampleRate: VALLE.sampleRate,
  graphs,
  routes: [valleRoute],
  capabilities: { tts: valleTts },
});
