// The espeak plugin's voices: one per espeak language (id = its language code), English
// variants, and OpenAI's voice names mapped onto distinct espeak voices so that `alloy`
// and `onyx` sound different out of the box. The list is data (voice-list.json, written
// from the espeak build by write-voice-list.ts), so listing needs no running engine.
import { createRequire } from 'node:module';
import { errors } from '../../core/errors.ts';
import { voiceIndex } from '../../core/text/espeak/voice-index.ts';

interface VoiceList {
  readonly voices: readonly { identifier: string; name: string; languages: string[] }[];
  readonly variants: readonly string[];
}

export const VOICE_LIST = createRequire(import.meta.url)('./voice-list.json') as VoiceList;
export const DEFAULT_LANGUAGE = 'en-us';

export interface VoiceEntry {
  readonly id: string;
  readonly name: string;
  readonly language: string;
}

/** OpenAI's voice names → an espeak language and variant. */
const OPENAI_ALIASES: Readonly<Record<string, { language: string; variant: string; name: string }>> = {
  alloy: { language: 'en-us', variant: 'f3', name: 'Alloy (espeak American English, female 3)' },
  ash: { language: 'en-us', variant: 'm2', name: 'Ash (espeak American English, male 2)' },
  ballad: { language: 'en-gb', variant: 'm4', name: 'Ballad (espeak British English, male 4)' },
  coral: { language: 'en-us', variant: 'f1', name: 'Coral (espeak American English, female 1)' },
  echo: { language: 'en-us', variant: 'm3', name: 'Echo (espeak American English, male 3)' },
  fable: { language: 'en-gb', variant: 'm1', name: 'Fable (espeak British English, male 1)' },
  nova: { language: 'en-us', variant: 'f4', name: 'Nova (espeak American English, female 4)' },
  onyx: { language: 'en-us', variant: 'm7', name: 'Onyx (espeak American English, male 7)' },
  sage: { language: 'en-us', variant: 'f5', name: 'Sage (espeak American English, female 5)' },
  shimmer: { language: 'en-us', variant: 'f2', name: 'Shimmer (espeak American English, female 2)' },
  verse: { language: 'en-us', variant: 'm5', name: 'Verse (espeak American English, male 5)' },
  marin: { language: 'en-gb', variant: 'f4', name: 'Marin (espeak British English, female 4)' },
  cedar: { language: 'en-us', variant: 'm6', name: 'Cedar (espeak American English, male 6)' },
};

const LISTED_VARIANTS = ['f1', 'f2', 'f3', 'f4', 'f5', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'klatt', 'whisper'];
const voiceFor = voiceIndex(VOICE_LIST.voices);
const variants = new Set(VOICE_LIST.variants);

let listed: readonly VoiceEntry[] | undefined;

/**
 * Every voice id the plugin accepts by name; the default voice first (surfaces treat it as the
 * default). Built once (the voice data is static): the OpenAI surface asks for it on every
 * speech call to resolve `voice`.
 */
export function listVoices(): readonly VoiceEntry[] {
  return (listed ??= Object.freeze(buildVoiceList()));
}

function buildVoiceList(): VoiceEntry[] {
  // Two voices may share a language (Cantonese in characters and in Jyutping): the first one speaks for it.
  const byLanguage = new Map<string, VoiceEntry>();
  for (const v of VOICE_LIST.voices) {
    const code = v.languages[0];
    if (code && !byLanguage.has(code)) byLanguage.set(code, { id: code, name: `${v.name} (espeak)`, language: code });
  }
  const languages = [...byLanguage.values()];
  const english = languages.find((v) => v.id === DEFAULT_LANGUAGE)!;
  const aliases = Object.entries(OPENAI_ALIASES).map(([id, a]) => ({ id, name: a.name, language: a.language }));
  const englishVariants = LISTED_VARIANTS.map((variant) => ({ id: `${DEFAULT_LANGUAGE}+${variant}`, name: `English (America), variant ${variant} (espeak)`, language: DEFAULT_LANGUAGE }));
  return [english, ...aliases, ...englishVariants, ...languages.filter((v) => v !== english)];
}

export interface ResolvedVoice {
  /** What espeak is given: its voice identifier, optionally `+variant`. */
  readonly espeakVoice: string;
  readonly language: string;
}

function voiceForLanguage(language: string, field: string): string {
  const voice = voiceFor(language);
  if (!voice) throw errors.invalidField(field, `'${language}' has no espeak voice; use a language code such as en-us, en-gb, fr, de, es, cmn`);
  return voice;
}

/**
 * A voice (`en-us`, `fr`, `en-us+f3`, `gmw/en-US`, an OpenAI name, or a bare variant `f3`)
 * and/or a language code → the espeak voice. The voice wins; a bare variant applies to the language.
 */
export function resolveVoice(request: { voice?: string; language?: string }): ResolvedVoice {
  const language = request.language?.trim() || DEFAULT_LANGUAGE;
  const voice = request.voice?.trim();
  if (!voice) return { espeakVoice: voiceForLanguage(language, 'language'), language };

  const alias = OPENAI_ALIASES[voice.toLowerCase()];
  if (alias) return { espeakVoice: `${voiceForLanguage(alias.language, 'voice')}+${alias.variant}`, language: alias.language };

  const [base = '', variant, ...extra] = voice.split('+');
  if (extra.length || variant === '') throw errors.invalidField('voice', `'${voice}' is not a voice; write a voice and at most one variant, e.g. en-us+f3`);
  if (variant !== undefined && !variants.has(variant)) {
    throw errors.invalidField('voice', `unknown espeak variant '${variant}'; e.g. ${LISTED_VARIANTS.join(', ')}`);
  }
  if (variant === undefined && variants.has(base) && !voiceFor(base)) {
    return { espeakVoice: `${voiceForLanguage(language, 'language')}+${base}`, language };
  }
  const suffix = variant === undefined ? '' : `+${variant}`;
  const byIdentifier = VOICE_LIST.voices.find((v) => v.identifier.toLowerCase() === base.toLowerCase());
  if (byIdentifier) return { espeakVoice: byIdentifier.identifier + suffix, language: byIdentifier.languages[0] ?? base };
  const byLanguage = voiceFor(base);
  if (!byLanguage) {
    throw errors.invalidField('voice', `unknown voice '${voice}'; use a language code (en-us, fr, de, cmn, ...), optionally with a variant (en-us+f3), or an OpenAI voice name (alloy, echo, ...)`);
  }
  return { espeakVoice: byLanguage + suffix, language: base.toLowerCase() };
}
