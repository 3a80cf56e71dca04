// Amphion's Mandarin phone inventory (`g2p/g2p/mandarin.py`): bopomofo mapped to IPA-like
// tokens with aspiration marks (⁼ unaspirated, ʰ aspirated), retroflex written with `,
// and the tone as an arrow suffix on the syllable's final (→ ↑ ↓↑ ↓). A `|` before a
// final starts a new phone, so "ㄋㄧˇ" becomes "n|i↓↑".

// Longest sequences first: the table is applied in order, as regex replacements.
const BOPOMOFO_TO_IPA: readonly (readonly [string, string])[] = [
  ['ㄅㄛ', 'p⁼wo'], ['ㄆㄛ', 'pʰwo'], ['ㄇㄛ', 'mwo'], ['ㄈㄛ', 'fwo'],
  ['ㄧㄢ', '|jɛn'], ['ㄩㄢ', '|ɥæn'], ['ㄧㄣ', '|in'], ['ㄩㄣ', '|ɥn'], ['ㄧㄥ', '|iŋ'], ['ㄨㄥ', '|ʊŋ'], ['ㄩㄥ', '|jʊŋ'],
  ['ㄧㄚ', '|ia'], ['ㄧㄝ', '|iɛ'], ['ㄧㄠ', '|iɑʊ'], ['ㄧㄡ', '|ioʊ'], ['ㄧㄤ', '|iɑŋ'], ['ㄨㄚ', '|ua'], ['ㄨㄛ', '|uo'],
  ['ㄨㄞ', '|uaɪ'], ['ㄨㄟ', '|ueɪ'], ['ㄨㄢ', '|uan'], ['ㄨㄣ', '|uən'], ['ㄨㄤ', '|uɑŋ'], ['ㄩㄝ', '|ɥɛ'],
  ['ㄅ', 'p⁼'], ['ㄆ', 'pʰ'], ['ㄇ', 'm'], ['ㄈ', 'f'], ['ㄉ', 't⁼'], ['ㄊ', 'tʰ'], ['ㄋ', 'n'], ['ㄌ', 'l'],
  ['ㄍ', 'k⁼'], ['ㄎ', 'kʰ'], ['ㄏ', 'x'], ['ㄐ', 'tʃ⁼'], ['ㄑ', 'tʃʰ'], ['ㄒ', 'ʃ'], ['ㄓ', 'ts`⁼'], ['ㄔ', 'ts`ʰ'],
  ['ㄕ', 's`'], ['ㄖ', 'ɹ`'], ['ㄗ', 'ts⁼'], ['ㄘ', 'tsʰ'], ['ㄙ', '|s'],
  ['ㄚ', '|a'], ['ㄛ', '|o'], ['ㄜ', '|ə'], ['ㄝ', '|ɛ'], ['ㄞ', '|aɪ'], ['ㄟ', '|eɪ'], ['ㄠ', '|ɑʊ'], ['ㄡ', '|oʊ'],
  ['ㄢ', '|an'], ['ㄣ', '|ən'], ['ㄤ', '|ɑŋ'], ['ㄥ', '|əŋ'], ['ㄦ', 'əɹ'], ['ㄧ', '|i'], ['ㄨ', '|u'], ['ㄩ', '|ɥ'],
  ['ˉ', '→|'], ['ˊ', '↑|'], ['ˇ', '↓↑|'], ['ˋ', '↓|'], ['˙', '|'],
];

export function bopomofoToIpa(bopomofo: string): string {
  let text = bopomofo;
  for (const [from, to] of BOPOMOFO_TO_IPA) text = text.replaceAll(from, to);
  // Syllables with no final (zhi, chi, shi, ri, zi, ci, si) get the apical vowel ɹ.
  text = text.replace(/([sɹ]`[⁼ʰ]?)([→↓↑ ]+|$)/gu, '$1ɹ$2');
  text = text.replace(/(s[⁼ʰ]?)([→↓↑ ]+|$)/gu, '$1ɹ$2');
  text = text.replace(/^\||[^\p{L}\p{N}_\s,.?!;:'…|→↓↑⁼ʰ`]/gu, '');
  return text.replace(/([,.?!;:'…])/gu, '|$1|').replace(/\|+/gu, '|').replace(/\|+$/u, '');
}
