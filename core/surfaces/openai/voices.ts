// What a request's `voice` means for the model it names, and the voice list clients see.
// Order: a registered reference voice (for models that clone), a voice the model lists,
// an OpenAI voice name the model does not list (OpenAI programs send them by habit: the
// model's default voice), else the model itself judges the name (it may accept more forms
// than it lists, such as espeak's `fr+f3`).
import type { TtsRequest } from '../../capabilities.ts';
import { errors } from '../../errors.ts';
import type { TtsProvider } from './models.ts';
import type { ReferenceStore, ReferenceViewer, ReferenceVoice } from './reference-store.ts';

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

export async function resolveVoice(provider: TtsProvider, voice: string | undefined, references: ReferenceStore, viewer: ReferenceViewer): Promise<ResolvedVoice> {
  if (voice === undefined) return { identity: 'default' };
  // Only the caller's own reference voices (admin: any key's); another key's voice id is just a name.
  const stored = references.get(viewer, voice);
  if (stored && clonesVoices(provider)) return { reference: referenceOf(stored), identity: `reference:${stored.owner}/${stored.id}@${stored.createdAt}` };
  const builtIn = await provider.capability.voices();
  if (builtIn.some((v) => v.id === voice)) return { voice, identity: `voice:${voice}` };
  if ((OPENAI_VOICES as readonly string[]).includes(voice)) return { identity: 'default' };
  if (stored) {
    throw errors.invalidField('voice', `'${voice}' is a reference voice, but model '${provider.plugin}' cannot clone voices; see GET /v1/voices?model=${provider.plugin}`);
  }
  return { voice, identity: `voice:${voice}` };
}

/** GET /v1/voices in seed 004's shape, for one model. */
export async function listVoices(provider: TtsProvider, references: ReferenceStore, viewer: ReferenceViewer) {
  const builtIn = await provider.capability.voices();
  const data = [
    ...builtIn.map((v) => ({ id: v.id, object: 'voice', name: v.name, ...(v.language ? { language: v.language } : {}), model: provider.plugin, type: 'builtin' })),
    ...(clonesVoices(provider)
      ? references.list(viewer).map((r) => ({ id: r.id, object: 'voice', name: r.id, model: provider.plugin, type: 'reference', duration: r.duration }))
      : []),
  ];
  return { object: 'list', data, default: builtIn[0]?.id ?? null, model: provider.plugin };
}
