// Mandarin tone changes applied per word, on bopomofo syllables with tone marks, with the
// rules of Amphion's `g2p/g2p/mandarin.py` (which the models were trained with, quirks
// included: a three-syllable 3-3-3 word keeps its marks, see thirdToneSandhi).

const TONE_MARK = /[˙ˊˇˋ]$/u;
const HAN_NUMERALS = new Set('〇零一二三四五六七八九十百千万亿兆壹贰叁肆伍陆柒捌玖拾佰仟');
const NO_TONE_CHANGE_AFTER_YI = new Set(['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十']);
const PUNCTUATION = new Set("：，；。？！“”‘’':,;.?!()（）{}【】[]-~`、 ");
const ER_KEEPS_TONE = new Set(['女儿', '老儿', '男儿', '少儿', '小儿']);

/** Python's str.isnumeric, which counts Han numerals. */
function isNumeric(char: string): boolean {
  return /\p{N}/u.test(char) || HAN_NUMERALS.has(char);
}

/** Replaces the syllable's tone mark ('' for tone 1). */
export function changeTone(syllable: string, mark: string): string {
  return TONE_MARK.test(syllable) ? syllable.slice(0, -1) + mark : syllable + mark;
}

export function thirdToneSandhi(word: readonly string[], syllables: string[]): string[] {
  const third = (s: string | undefined) => s?.endsWith('ˇ') ?? false;
  if (word.length === 3 && third(syllables[0]) && third(syllables[1]) && third(syllables.at(-1))) {
    // Amphion appends rather than replaces here; the extra mark maps to a phone the
    // vocabulary lacks, so these words keep their third tones in the ids. Kept for parity.
    syllables[0] += 'ˊ';
    syllables[1] += 'ˊ';
  }
  if (word.length === 2 && third(syllables[0]) && third(syllables.at(-1))) syllables[0] = syllables[0]!.slice(0, -1) + 'ˊ';
  return syllables;
}

export function buSandhi(word: readonly string[], syllables: string[]): string[] {
  if (new Set(word).size === 1 && word[0] === '不') return syllables;
  if (word.join('') === '不字') return syllables;
  if (word.length === 3 && word[1] === '不' && syllables[1]?.slice(0, -1) === 'ㄅㄨ') {
    syllables[1] = 'ㄅㄨ˙';
    return syllables;
  }
  word.forEach((char, i) => {
    const next = syllables[i + 1];
    if (char === '不' && i + 1 < word.length && next && next.endsWith('ˋ')) syllables[i] = syllables[i]!.slice(0, -1) + 'ˊ';
  });
  return syllables;
}

export function yiSandhi(word: readonly string[], syllables: string[]): string[] {
  const text = word.join('');
  if (word.includes('一') && word.some((c) => c !== '一' && isNumeric(c))) {
    // In a number the first 一 changes like a word-initial one; the others stay tone 1.
    word.forEach((char, i) => {
      if (i === 0 && char === '一' && word.length > 1 && !NO_TONE_CHANGE_AFTER_YI.has(word[1]!)) {
        const next = syllables[1] ?? '';
        syllables[0] = changeTone(syllables[0]!, next.endsWith('ˋ') || next.endsWith('˙') ? 'ˊ' : 'ˋ');
      } else if (char === '一') {
        syllables[i] = changeTone(syllables[i]!, '');
      }
    });
    return syllables;
  }
  if (word.length === 3 && word[1] === '一' && word[0] === word[2]) syllables[1] = changeTone(syllables[1]!, '˙');
  else if (text.startsWith('第一')) syllables[1] = changeTone(syllables[1]!, '');
  else if (text.startsWith('一月') || text.startsWith('一日') || text.startsWith('一号')) syllables[0] = changeTone(syllables[0]!, '');
  else {
    word.forEach((char, i) => {
      if (char !== '一' || i + 1 >= word.length) return;
      const next = syllables[i + 1];
      if (next && next.endsWith('ˋ')) syllables[i] = changeTone(syllables[i]!, 'ˊ');
      else if (!PUNCTUATION.has(word[i + 1]!)) syllables[i] = changeTone(syllables[i]!, 'ˋ');
    });
  }
  return syllables;
}

export function erSandhi(word: readonly string[], syllables: string[]): string[] {
  if (word.length > 1 && word.at(-1) === '儿' && !ER_KEEPS_TONE.has(word.join(''))) {
    syllables[syllables.length - 1] = changeTone(syllables.at(-1)!, '˙');
  }
  return syllables;
}

export function applySandhi(word: readonly string[], syllables: string[]): string[] {
  return erSandhi(word, yiSandhi(word, buSandhi(word, thirdToneSandhi(word, syllables))));
}
