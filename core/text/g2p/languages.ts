// The languages the phonemizer speaks, the codes clients may use for them, and the
// 400 a client gets for any other.
import { errors } from '../../errors.ts';

export const G2P_LANGUAGES = ['en', 'zh', 'fr', 'de', 'ko'] as const;
export type G2pLanguage = (typeof G2P_LANGUAGES)[number];

/** The espeak-ng language each non-Chinese language is phonemized with (Amphion's choice). */
export const ESPEAK_LANGUAGE_OF: Readonly<Record<Exclude<G2pLanguage, 'zh'>, string>> = { en: 'en-us', fr: 'fr-fr', de: 'de', ko: 'ko' };

const ALIASES: Readonly<Record<string, G2pLanguage>> = {
  en: 'en', 'en-us': 'en', 'en-gb': 'en', english: 'en',
  zh: 'zh', 'zh-cn': 'zh', 'zh-hans': 'zh', cmn: 'zh', mandarin: 'zh', chinese: 'zh',
  fr: 'fr', 'fr-fr': 'fr', french: 'fr',
  de: 'de', 'de-de': 'de', german: 'de',
  ko: 'ko', 'ko-kr': 'ko', korean: 'ko',
};

const NOT_YET: Readonly<Record<string, string>> = {
  ja: 'Japanese needs a kanji reader (the model front end uses pyopenjtalk)',
  'ja-jp': 'Japanese needs a kanji reader (the model front end uses pyopenjtalk)',
  japanese: 'Japanese needs a kanji reader (the model front end uses pyopenjtalk)',
};

export function resolveG2pLanguage(code: string, field = 'language'): G2pLanguage {
  const key = code.trim().toLowerCase().replaceAll('_', '-');
  const language = ALIASES[key];
  if (language) return language;
  const supported = G2P_LANGUAGES.join(', ');
  if (NOT_YET[key]) throw errors.invalidField(field, `'${code}' is not supported yet: ${NOT_YET[key]}; supported: ${supported}`);
  throw errors.invalidField(field, `'${code}' is not supported by the phonemizer; supported: ${supported}`);
}
