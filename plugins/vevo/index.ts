// Vevo (Amphion): zero-shot TTS and voice, timbre and style conversion from one set of graphs.
// HuBERT features → tokenizers → (AR Llama with its K/V cache in the worker) → flow matching
// → Vocos vocoder (graphs.ts, EXPORT.md); the pipeline as numbered steps in pipeline/synthesize.ts.
import { definePlugin } from '../../core/plugin/define-plugin.ts';
import { vevoTts } from './capability.ts';
import { graphs } from './graphs.ts';
import { styleRoute } from './routes/style.ts';
import { timbreRoute } from './routes/timbre.ts';
import { ttsRoute } from './routes/tts.ts';
import { voiceRoute } from './routes/voice.ts';
import { VEVO } from './settings.ts';
import { vevoVoiceConversion } from './voice-conversion.ts';

export default definePlugin({
  name: 'vevo',
  title: 'Vevo',
  task: 'vc',
  summary: 'Zero-shot voice imitation (Amphion Vevo): TTS, and conversion of timbre, style or whole voice from a reference clip.',
  license: 'CC-BY-NC-4.0 (weights, amphion/Vevo); code MIT (Amphion)',
  sampleRate: VEVO.sampleRate,
  graphs,
  routes: [ttsRoute, timbreRoute, styleRoute, voiceRoute],
  capabilities: { tts: vevoTts, 'voice-conversion': vevoVoiceConversion },
});
