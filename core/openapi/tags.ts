// The one list of OpenAPI tags: every operation names one of these, and the document lists
// them in this order (the plugins' tasks first, then the core's surfaces). A tag defined
// twice, or spelt two ways, would show as two groups in Swagger UI.
import type { Task } from '../plugin/types.ts';

export const TAGS = {
  tts: { name: 'Text-to-Speech', description: 'Speech from text' },
  vc: { name: 'Voice Conversion', description: 'Speech in another voice' },
  svc: { name: 'Singing Voice Conversion', description: 'Singing in another voice' },
  tta: { name: 'Text-to-Audio', description: 'Sound from text' },
  codec: { name: 'Audio Codecs', description: 'Audio to discrete tokens and back' },
  vocoder: { name: 'Vocoders', description: 'Audio from mel spectrograms' },
  asr: { name: 'Speech Recognition', description: 'Text from speech' },
  text: { name: 'Text Front Ends', description: 'Phones and tokens, as the models see a text' },
  audio: { name: 'Audio Tools', description: 'Pictures and analysis of audio, for any file' },
  openai: {
    name: 'OpenAI-compatible speech',
    description: 'OpenAI `audio.speech` over every TTS plugin, with voices, models and reference voices. Also served under /api/v1. Errors use OpenAI\'s `{"error": {...}}` shape.',
  },
  tasks: { name: 'Tasks', description: 'Async tasks: any model route with `Prefer: respond-async` or `?async=true` answers 202 and runs as a task.' },
  models: { name: 'Models', description: 'Model weights and sessions: status, load, unload, download with progress (admin role)' },
  keys: { name: 'Keys', description: 'API key management (admin role)' },
  utility: { name: 'Utility', description: 'Health and documentation' },
  // The voice studio keeps the voicebox API's own tag names, grouped under one prefix.
  studioGeneral: { name: 'Voice studio: General', description: 'Root and health check endpoints (voicebox API)' },
  studioProfiles: { name: 'Voice studio: Profiles', description: 'Voice profile management (voicebox API)' },
  studioGeneration: { name: 'Voice studio: Generation', description: 'Speech generation, transcription, and audio retrieval (voicebox API)' },
  studioHistory: { name: 'Voice studio: History', description: 'Generation history and statistics (voicebox API)' },
  studioModels: { name: 'Voice studio: Models', description: 'Model loading, unloading, and status management (voicebox API)' },
  dubbing: { name: 'Dubbing', description: 'Song dubbing (VoiceDub API): dubs, voices, the public voice catalogue and credits. Auth `Authorization: Api-Key <key>`; errors `{"code", "message"}`.' },
} as const satisfies Record<Task, { name: string; description: string }> & Record<string, { name: string; description: string }>;

export type TagKey = keyof typeof TAGS;

/** The tag of a plugin route: the task its path starts with (`/text/phonemize` is a text front end), else the plugin's task. */
export function pluginRouteTag(path: string, pluginTask: string): string {
  const first = path.split('/')[1] ?? '';
  if (first in TAGS) return TAGS[first as TagKey].name;
  return pluginTask in TAGS ? TAGS[pluginTask as TagKey].name : pluginTask;
}
