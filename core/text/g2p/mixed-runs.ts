// Mixed Chinese/English text cut into runs of one language, as Amphion's `get_segment`:
// digits, spaces and punctuation stay with the run they follow (or, at the start, the
// run they precede), so "我有3个apple!" → [我有3个 zh] [apple! en].

export interface TextRun {
  readonly text: string;
  /** `other` only when the whole text has neither Han characters nor Latin letters. */
  readonly language: 'zh' | 'en' | 'other';
}

function kindOf(char: string): TextRun['language'] {
  if (char >= '\u4e00' && char <= '\u9fa5') return 'zh';
  if ((char >= 'A' && char <= 'Z') || (char >= 'a' && char <= 'z')) return 'en';
  return 'other';
}

export function splitChineseEnglish(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let current = '';
  let language: TextRun['language'] | undefined;
  for (const char of text) {
    const kind = kindOf(char);
    if (language === undefined) {
      current = char;
      language = kind;
    } else if (language === 'other') {
      current += char;
      language = kind;
    } else if (kind === language || kind === 'other') {
      current += char;
    } else {
      runs.push({ text: current, language });
      current = char;
      language = kind;
    }
  }
  if (language !== undefined) runs.push({ text: current, language });
  return runs;
}
