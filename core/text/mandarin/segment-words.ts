// Chinese word segmentation with jieba, as Amphion's front end (`jieba.lcut(text,
// cut_all=False)`): @node-rs/jieba is jieba-rs, the same algorithm (prefix-dictionary DAG,
// most probable route, HMM for unknown words) with jieba's own dictionary, and cuts as Python
// jieba 0.42.1 does. Word boundaries decide the 3-3 sandhi, so a segmenter with other
// boundaries changes the phones: ICU's (Node's Intl), used before, joined 我有, 很好 and 我想
// into words and gave 我 and 很 a second tone where Amphion keeps the third
// (the phone-id fixtures of scripts/reference/ prove it). The merges after it follow Amphion so that 一,
// 不 and 儿 stay with their neighbours for the tone rules.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';

// Built on the first Chinese text (~0.3 s to read the 5 MB dictionary), then only read.
let jieba: Jieba | undefined;

export function segmentWords(text: string): string[] {
  jieba ??= Jieba.withDict(readFileSync(fileURLToPath(import.meta.resolve('@node-rs/jieba/dict.txt'))));
  return jieba.cut(text, true);
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
