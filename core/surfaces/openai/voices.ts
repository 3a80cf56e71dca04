// What a request's `voice` means for the model it names, and the voice list clients see.
// Order: a registered reference voice, then a voice of the voices file (both for models
// that clone), a voice the model lists,
// an OpenAI voice name the model does not list (OpenAI programs send them by habit: the
// model's default voice), else the model itself judges the name (it may accept more forms
// than it lists, such as espeak's `fr+f3`).
import { stat } from 'node:fs/promises';
import type { TtsRequest } from '../../capabilities.ts';
import { errors } from '../../errors.ts';
import type { TtsProvider } from './models.ts';
import type { ReferenceStore, ReferenceViewer, ReferenceVoice } from './reference-store.ts';
import type { FileVoice, VoiceSet } from './voice-file.ts';

export const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse', 'marin', 'cedar'] as const;

/** The `supports` entry by which a TTS capability says it clones a voice from reference audio. */
export const CLONES = 'reference';

export function clonesVoices(provider: TtsProvider): boolean {
  return provider.capability.supports?.includes(CLONES) ?? false;
}

export interface ResolvedVoice {
  readonly voice?: string;
  readonly reference?: TtsRequest['reference'];
  /** What shapes the output, for the cache key (a reference is named with its creation time). */
  readonly identity: string;
}

export function referenceOf(voice: ReferenceVoice): NonNullable<TtsRequest['reference']> {
  return { path: voice.path, format: voice.format, ...(voice.text ? { text: voice.text } : {}) };
}

async function fileVoice(voice: FileVoice): Promise<ResolvedVoice> {
  // The clip was checked when the file was read; the operator may have moved it since.
  if (!(await stat(voice.path).catch(() => undefined))?.isFile()) {
    throw errors.unavailable(`voice '${voice.id}': its clip ${voice.wavPath} is no longer on disk; restore it, or edit the voices file and reload it (POST /admin/reload-voices)`);
  }
  return { reference: { path: voice.path, format: voice.format, ...(voice.text ? { text: voice.text } : {}) }, identity: `file:${voice.id}@${voice.version}` };
}

export async function resolveVoice(provider: TtsProvider, voice: string | undefined, references: ReferenceStore, viewer: ReferenceViewer, fileVoices: VoiceSet): Promise<ResolvedVoice> {
  const clones = clonesVoices(provider);
  if (voice === undefined) {
    // A request naming no voice speaks with the voices file's default.
    const preset = clones && fileVoices.default !== undefined ? fileVoices.voices.get(fileVoices.default) : undefined;
    return preset ? fileVoice(preset) : { identity: 'default' };
  }
  // Only the caller's own reference voices (admin: any key's); another key's voice id is just a name.
  const stored = references.get(viewer, voice);
  if (stored && clones) return { reference: referenceOf(stored), identity: `reference:${stored.owner}/${stored.id}@${stored.createdAt}` };
  const listed = fileVoices.voices.get(voice);
  if (listed && clones) return fileVoice(listed);
  const builtIn = await provider.capability.voices();
  if (builtIn.some((v) => v.id === voice)) return { voice, identity: `voice:${voice}` };
  if ((OPENAI_VOICES as readonly string[]).includes(voice)) return { identity: 'default' };
  if (stored || listed) {
    throw errors.invalidField('voice', `'${voice}' is a reference voice, but model '${provider.plugin}' cannot clone voices; see GET /v1/voices?model=${provider.plugin}`);
  }
  return { voice, identity: `voice:${voice}` };
}

/** GET /v1/voices in uttera-tts-vllm's shape, for one model: `wav_path` on the voices file's entries. */
export async function listVoices(provider: TtsProvider, references: ReferenceStore, viewer: ReferenceViewer, fileVoices: VoiceSet) {
  const builtIn = await provider.capability.voices();
  const clones = clonesVoices(provider);
  const data = [
    ...builtIn.map((v) => ({ id: v.id, object: 'voice', name: v.name, ...(v.language ? { language: v.language } : {}), model: provider.plugin, type: 'builtin' })),
    ...(clones ? [...fileVoices.voices.values()].map((v) => ({ id: v.id, object: 'voice', name: v.id, wav_path: v.wavPath, model: provider.plugin, type: 'file' })) : []),
    ...(clones ? references.list(viewer).map((r) => ({ id: r.id, object: 'voice', name: r.id, model: provider.plugin, type: 'reference', duration: r.duration })) : []),
  ];
  const preset = clones ? fileVoices.default : undefined;
  return { object: 'list', data, default: preset ?? builtIn[0]?.id ?? null, model: provider.plugin };
}
