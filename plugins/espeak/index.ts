// espeak-ng as the hub's out-of-the-box TTS: no weights, ~140 languages, intelligible
// (robotic) speech in milliseconds. Its `tts` capability backs the OpenAI-compatible
// /v1/audio/speech on a fresh install. It also exposes the phonemizer that model
// plugins use through `ctx.text`, for checking what a model will be given.
import { defineRoute, definePlugin } from '../../core/plugin/define-plugin.ts';
import type { TtsCapability } from '../../core/capabilities.ts';
import { speak } from './speak.ts';
import { listVoices } from './voices.ts';

const MAX_TEXT = 5000;

const tts = defineRoute({
  method: 'POST',
  path: '/tts/espeak',
  summary: 'Speak text with espeak-ng (no weights; many languages)',
  description:
    'Formant synthesis with espeak-ng at 22.05 kHz. `voice` is a language code (`en-us`, `fr`, `cmn`, ...), optionally with a variant (`en-us+f3`), or an OpenAI voice name; without a voice, `language` picks one.',
  fields: {
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, maxLength: MAX_TEXT, description: 'Text to speak.' },
      voice: { type: 'string', minLength: 1, maxLength: 100, description: 'Voice: a language code, `code+variant` (variants f1–f5, m1–m7, klatt, whisper, ...), an espeak identifier (`gmw/en-US`) or an OpenAI voice name (alloy, echo, ...).' },
      language: { type: 'string', minLength: 1, maxLength: 35, description: 'Language code used when no voice is given (default en-us).', 'x-aliases': ['lang'] },
      speed: { type: 'number', minimum: 0.25, maximum: 4, default: 1, description: '1 is espeak\'s normal rate (175 words per minute); 0.46–2.57 is native, beyond that the audio is time-stretched.' },
      pitch: { type: 'number', minimum: 0, maximum: 100, default: 50, description: 'Base pitch on espeak\'s 0–100 scale; 50 is the voice\'s own.' },
    },
    required: ['text'],
    additionalProperties: false,
  },
  produces: 'audio',
  idempotent: true,
  example: { text: 'Hello from the model hub.', voice: 'en-us' },
  async handler(input, ctx) {
    ctx.progress(0, 'synthesizing');
    return speak(input, ctx);
  },
});

const phonemize = defineRoute({
  method: 'POST',
  path: '/text/phonemize',
  summary: 'Phones for a text, as the model front ends (MaskGCT, Vevo) will see them',
  description:
    'The shared phonemizer: espeak-ng IPA with Amphion\'s conventions for en, fr, de, ko; pinyin-based phones for Chinese; mixed Chinese/English text is split into runs. `phones` is the `|`-separated string, `tokens` the list of phones.',
  fields: {
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, maxLength: MAX_TEXT, description: 'Text to phonemize.' },
      language: { type: 'string', minLength: 1, maxLength: 35, default: 'en', description: 'en, zh, fr, de or ko (regional codes such as en-us are accepted).' },
    },
    required: ['text'],
    additionalProperties: false,
  },
  produces: 'json',
  idempotent: true,
  example: { text: 'Hello, world!', language: 'en' },
  async handler(input, ctx) {
    const result = await ctx.text.phonemize(input.text, input.language ?? 'en');
    return { language: result.language, phones: result.text, tokens: result.phones };
  },
});

const capability: TtsCapability = {
  voices: async () => listVoices(),
  supports: ['speed'],
  synthesize: (request, ctx) => speak({ text: request.text, voice: request.voice, language: request.language, speed: request.speed }, ctx),
};

export default definePlugin({
  name: 'espeak',
  title: 'eSpeak NG',
  task: 'tts',
  summary: 'Weight-free formant TTS in about 140 languages (espeak-ng), and the shared phonemizer. Robotic but intelligible; always installed.',
  license: 'GPL-3.0-or-later (espeak-ng)',
  sampleRate: 22050,
  weightFree: true,
  routes: [tts, phonemize],
  capabilities: { tts: capability },
});
