// VevoSing (Amphion Vevo1.5): singing (and speech) voice conversion and lyric synthesis.
// Whisper-medium features + chromagram → Coco tokenizers → (AR Llama) → flow matching with ×4
// resampling → Vocos vocoder (graphs.ts, EXPORT.md); the pipeline as numbered steps in
// pipeline/sing.ts. The FM sampler, mel, vocoder and AR loop are Vevo's (plugins/vevo-common);
// the Whisper encoder step is plugins/whisper-encoder.
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { vevosingConversion } from './capability.ts';
import { graphs } from './graphs.ts';
import { vevosingRoute } from './routes/vevosing.ts';
import { VEVOSING } from './settings.ts';

export default definePlugin({
  name: 'vevosing',
  title: 'VevoSing (Vevo1.5)',
  task: 'svc',
  summary: 'Zero-shot singing voice conversion (Amphion Vevo1.5): timbre conversion keeping words and melody, or lyrics re-sung in a reference voice.',
  license: 'CC-BY-NC-ND-4.0 (weights, amphion/Vevo1.5); code MIT (Amphion)',
  sampleRate: VEVOSING.sampleRate,
  graphs,
  routes: [vevosingRoute],
  capabilities: { 'voice-conversion': vevosingConversion },
});
