// The phone string Amphion's G2P (`g2p/g2p/text_tokenizers.py`) builds for espeak
// languages: phonemizer's espeak backend with punctuation kept, no stress, flags
// removed, `|` between phones and `|_|` between words; each mark then stands as its
// own phone: "hello, world!" → "h|ə|l|oʊ|,|w|ɜː|l|d|!".
import { separateEspeakPhones } from './espeak-output.ts';
import { preservePunctuation, restorePunctuation } from './punctuation.ts';

/** Raw espeak IPA for each text, in one espeak language. */
export type RawPhonemizer = (texts: readonly string[], espeakLanguage: string) => Promise<string[]>;

export const PRESERVED_MARKS = ",.?!;:'…";
const SEPARATORS = { phone: '|', word: '|_|' } as const;

const CHINESE_PUNCTUATION: readonly (readonly [string, string])[] = [
  ['，', ','], ['。', '.'], ['！', '!'], ['？', '?'], ['；', ';'], ['：', ':'], ['、', ','],
  ['‘', "'"], ['’', "'"], ['⋯', '…'], ['···', '…'], ['・・・', '…'], ['...', '…'],
];

export function convertChinesePunctuation(text: string): string {
  let out = text;
  for (const [from, to] of CHINESE_PUNCTUATION) out = out.replaceAll(from, to);
  return out;
}

/** What the Python side does before phonemizing: its `\w` is letters, digits and `_`. */
export function normalizeForPhonemizer(line: string): string {
  return convertChinesePunctuation(line.normalize('NFC').trim())
    .replace(/[^\p{L}\p{N}_\s,.?!;:'…]/gu, '')
    .replace(/\s*([,.?!;:'…])\s*/gu, '$1')
    .replace(/\s+/gu, ' ');
}

/** Wraps each mark in separators and collapses runs of them, as the tokenizer's last step. */
export function isolateMarks(phones: string): string {
  return phones.replace(/([,.?!;:'…])/gu, '|$1|').replace(/\|+/gu, '|').replace(/\|+$/u, '');
}

export async function amphionPhonemes(text: string, espeakLanguage: string, phonemize: RawPhonemizer): Promise<string> {
  const line = normalizeForPhonemizer(text);
  const { chunks, marks } = preservePunctuation(line, PRESERVED_MARKS);
  const raw = chunks.length ? await phonemize(chunks, espeakLanguage) : [];
  const separated = raw.map((r) => separateEspeakPhones(r, SEPARATORS));
  const restored = restorePunctuation(separated, marks, SEPARATORS.word).filter((l) => l !== '');
  return isolateMarks(restored.join('\n'));
}
