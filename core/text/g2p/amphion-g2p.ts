// Text to phones with the conventions of Amphion's G2P (its TTS models' text front end): Chinese and
// English go through the mixed path (runs of each, Chinese by pinyin, English by espeak),
// French, German and Korean through espeak with their own clean-up.
import { amphionPhonemes, type RawPhonemizer } from '../phonemizer/amphion-tokenizer.ts';
import { mandarinPhones } from '../mandarin/mandarin-phones.ts';
import { finishEnglishPhones, normalizeEnglish } from './english.ts';
import { normalizeFrench } from './french.ts';
import { normalizeGerman } from './german.ts';
import { normalizeKorean } from './korean.ts';
import { ESPEAK_LANGUAGE_OF, type G2pLanguage } from './languages.ts';
import { splitChineseEnglish } from './mixed-runs.ts';

async function singleLanguagePhones(text: string, language: G2pLanguage, raw: RawPhonemizer): Promise<string> {
  switch (language) {
    case 'zh':
      return mandarinPhones(text);
    case 'en':
      return finishEnglishPhones(await amphionPhonemes(normalizeEnglish(text), ESPEAK_LANGUAGE_OF.en, raw));
    case 'fr':
      return amphionPhonemes(normalizeFrench(text), ESPEAK_LANGUAGE_OF.fr, raw);
    case 'de':
      return amphionPhonemes(normalizeGerman(text), ESPEAK_LANGUAGE_OF.de, raw);
    case 'ko':
      return amphionPhonemes(normalizeKorean(text), ESPEAK_LANGUAGE_OF.ko, raw);
  }
}

/** Amphion's `chn_eng_g2p`: each run's phones followed by `|`; no blank after a final English run. */
async function chineseEnglishPhones(text: string, fallback: 'zh' | 'en', raw: RawPhonemizer): Promise<string> {
  const runs = splitChineseEnglish(text);
  let all = '';
  for (const [i, run] of runs.entries()) {
    const language = run.language === 'other' ? fallback : run.language;
    all += `${await singleLanguagePhones(run.text, language, raw)}|`;
    if (language === 'en' && i === runs.length - 1 && all.at(-2) === '_') all = all.slice(0, -2);
  }
  return all;
}

/** The phone string for a text, `|` between phones, exactly as the Python front end writes it. */
export function amphionPhoneString(text: string, language: G2pLanguage, raw: RawPhonemizer): Promise<string> {
  return language === 'zh' || language === 'en' ? chineseEnglishPhones(text, language, raw) : singleLanguagePhones(text, language, raw);
}
