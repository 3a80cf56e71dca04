// Chinese word segmentation. ICU's dictionary segmenter (built into Node's Intl) plays the
// part jieba plays in Amphion's front end; the merges after it follow Amphion so that 一,
// 不 and 儿 stay with their neighbours for the tone rules.

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

export function segmentWords(text: string): string[] {
  return [...segmenter.segment(text)].map((s) => s.segment);
}

/** 看 一 看 → 看一看; a lone 一 joins the word after it. */
export function mergeYi(words: readonly string[]): string[] {
  const reduplicated: string[] = [];
  words.forEach((word, i) => {
    if (i >= 1 && word === '一' && i + 1 < words.length && words[i - 1] === words[i + 1]) {
      reduplicated[reduplicated.length - 1] = `${words[i - 1]}一${words[i - 1]}`;
    } else if (!(i >= 2 && words[i - 1] === '一' && words[i - 2] === word)) {
      reduplicated.push(word);
    }
  });
  const merged: string[] = [];
  for (const word of reduplicated) {
    if (merged.at(-1) === '一') merged[merged.length - 1] = `一${word}`;
    else merged.push(word);
  }
  return merged;
}

/** A lone 不 joins the word after it (at the very end it stays on its own). */
export function mergeBu(words: readonly string[]): string[] {
  const merged: string[] = [];
  let pending = false;
  for (const word of words) {
    if (word === '不') {
      if (pending) merged.push('不');
      pending = true;
      continue;
    }
    merged.push(pending ? `不${word}` : word);
    pending = false;
  }
  if (pending) merged.push('不');
  return merged;
}

/** 儿 joins the word before it. */
export function mergeEr(words: readonly string[]): string[] {
  const merged: string[] = [];
  for (const word of words) {
    if (word === '儿' && merged.length > 0) merged[merged.length - 1] += word;
    else merged.push(word);
  }
  return merged;
}
