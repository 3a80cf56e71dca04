// Noro (Amphion): noise-robust one-shot voice conversion. mHuBERT content + pitch of the
// source, 32 speaker queries of the (possibly noisy) target clip, a WaveNet diffusion decoder
// sampled by the VP probability-flow ODE, and a 16 kHz BigVGAN (graphs.ts, EXPORT.md); the
// pipeline as numbered steps in pipeline/convert.ts.
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { noroVoiceConversion } from './capability.ts';
import { graphs } from './graphs.ts';
import { noroRoute } from './routes/convert.ts';
import { NORO } from './settings.ts';

export default definePlugin({
  name: 'noro',
  title: 'Noro',
  task: 'vc',
  summary: 'Noise-robust one-shot voice conversion (Amphion Noro): speech re-voiced from one, possibly noisy, reference clip.',
  license: 'MIT (Amphion code); weights from Amphion\'s Google Drive release, licence not stated there',
  sampleRate: NORO.sampleRate,
  graphs,
  routes: [noroRoute],
  capabilities: { 'voice-conversion': noroVoiceConversion },
});
