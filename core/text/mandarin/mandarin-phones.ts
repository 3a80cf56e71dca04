// Chinese text to Amphion's Mandarin phones: numbers read out, punctuation normalised,
// words segmented, pinyin with tones (pinyin-pro, which resolves polyphones from word
// context), tone sandhi per word, then bopomofo → IPA. Amphion resolves polyphones with a
// small BERT instead; the two agree on dictionary words and may differ on rare readings.
import { pinyin } from 'pinyin-pro';
import { convertChinesePunctuation } from '../phonemizer/amphion-tokenizer.ts';
import { bopomofoToIpa } from './bopomofo-to-ipa.ts';
import { numbersToChinese } from './chinese-numbers.ts';
import { pinyinToBopomofo, TONE_MARKS } from './pinyin-to-bopomofo.ts';
import { mergeBu, mergeEr, mergeYi, segmentWords } from './segment-words.ts';
import { applySandhi } from './tone-sandhi.ts';

const HAN = /[\u4e00-\u9fff]/u;
const PINYIN_WITH_TONE = /^([a-zü]+)([0-5])$/u;

/** Keeps Han characters and the preserved marks only, as Amphion's `normalization`. */
export function normalizeChinese(text: string): string {
  return convertChinesePunctuation(text)
    .replace(/\s+/gu, '')
    .replace(/[^\u4e00-\u9fff\s_,.?!;:'…]/gu, '')
    .replace(/\s*([,.?!;:'…])\s*/gu, '$1');
}

/** One pinyin per character of the text, read in context; non-Chinese characters come back as themselves. */
function pinyinPerCharacter(text: string): string[] {
  const chars = [...text];
  const readings = pinyin(text, { toneType: 'num', type: 'array', toneSandhi: false, v: true });
  if (readings.length === chars.length) return readings;
  // Alignment lost (should not happen on normalised text): fall back to one call per character.
  return chars.map((c) => pinyin(c, { toneType: 'num', type: 'array', toneSandhi: false, v: true })[0] ?? c);
}

function syllableOf(char: string, reading: string | undefined): string {
  const match = reading === undefined ? null : PINYIN_WITH_TONE.exec(reading);
  const bopomofo = match ? pinyinToBopomofo(match[1]!) : undefined;
  return bopomofo === undefined ? char : bopomofo + TONE_MARKS[match![2]!];
}

/** Chinese text (no Latin) to bopomofo syllables joined by `|`, tone 1 marked ˉ. */
export function chineseToBopomofo(text: string): string {
  const readings = pinyinPerCharacter(text);
  const words = mergeEr(mergeBu(mergeYi(segmentWords(text))));
  let out = '';
  let at = 0;
  for (const word of words) {
    const chars = [...word];
    const syllables = applySandhi(chars, chars.map((c, i) => syllableOf(c, readings[at + i])));
    at += chars.length;
    if (!HAN.test(word)) {
      out += `|${word}`;
      continue;
    }
    if (out !== '') out += '|';
    out += syllables.map((s) => s.replace(/([\u3105-\u3129])$/u, '$1ˉ')).join('|');
  }
  return out;
}

/** `mandarinPhones('你好')` → 'n|i↑|x|ɑʊ↓↑'. */
export function mandarinPhones(text: string): string {
  const normalized = normalizeChinese(numbersToChinese(text.trim()));
  return bopomofoToIpa(chineseToBopomofo(normalized));
}
