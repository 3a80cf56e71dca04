// Sentence splitting and chunking for long input: TTS models are trained on sentences,
// so long text is cut at sentence ends (not after "Dr." or inside "3.14"), over-long
// sentences at clause marks, then spaces, then anywhere.
import { errors } from '../errors.ts';

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'prof', 'vs', 'etc', 'e.g', 'i.e', 'no', 'fig', 'mt', 'gen', 'col', 'lt', 'sgt', 'capt', 'rev', 'ft', 'approx']);
const BOUNDARY = /[。！？；]["'”’」』）)]*|[.!?…]+["'”’)\]]*(?=\s|$)/gu;
const CLAUSE_MARK = /[,;:，；：、]/u;

function length(text: string): number {
  return [...text].length;
}

// An abbreviation or an initial ("J.") before a single full stop does not end a sentence.
function isAbbreviation(text: string, markAt: number): boolean {
  const word = text.slice(0, markAt).split(' ').at(-1)!.toLowerCase();
  return ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word);
}

/** Sentences in order, whitespace collapsed, none empty. */
export function splitSentences(text: string): string[] {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const sentences: string[] = [];
  let start = 0;
  for (const match of flat.matchAll(BOUNDARY)) {
    if (match[0] === '.' && isAbbreviation(flat, match.index)) continue;
    const end = match.index + match[0].length;
    const sentence = flat.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = end;
  }
  const rest = flat.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

function splitLong(sentence: string, maxChars: number): string[] {
  if (length(sentence) <= maxChars) return [sentence];
  const clauses = sentence.split(new RegExp(`(?<=${CLAUSE_MARK.source})`, 'u'));
  if (clauses.length > 1) return packPieces(clauses.map((c) => c.trim()).filter(Boolean), maxChars);
  const words = sentence.split(' ');
  if (words.length > 1) return packPieces(words, maxChars);
  const chars = [...sentence];
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += maxChars) pieces.push(chars.slice(i, i + maxChars).join(''));
  return pieces;
}

function joinPieces(a: string, b: string): string {
  return /\p{Script=Han}$|[，、；：。]$/u.test(a) && /^\p{Script=Han}/u.test(b) ? a + b : `${a} ${b}`;
}

function packPieces(pieces: readonly string[], maxChars: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const piece of pieces.flatMap((p) => splitLong(p, maxChars))) {
    const joined = current ? joinPieces(current, piece) : piece;
    if (current && length(joined) > maxChars) {
      out.push(current);
      current = piece;
    } else {
      current = joined;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Sentences packed greedily into chunks of at most `maxChars` characters. */
export function chunkText(text: string, options: { maxChars: number }): string[] {
  if (!(options.maxChars >= 1)) throw new RangeError('maxChars must be at least 1');
  return packPieces(splitSentences(text), options.maxChars);
}

/** 400 naming the field when the text is empty or longer than allowed. */
export function assertTextLength(text: string, options: { field: string; maxChars: number }): void {
  if (text.trim() === '') throw errors.invalidField(options.field, 'must not be empty');
  const n = length(text);
  if (n > options.maxChars) throw errors.invalidField(options.field, `must be at most ${options.maxChars} characters (got ${n})`);
}
