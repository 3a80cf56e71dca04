// English text normalisation and phone post-mapping with the rules of Amphion's
// `g2p/g2p/english.py`: abbreviations and numbers are spelled out before espeak sees the
// text, and a few espeak phones are merged or mapped onto the model's phone inventory.
import { numberToWords, ordinalWords } from './number-words.ts';

const ABBREVIATIONS: readonly (readonly [RegExp, string])[] = (
  [
    ['mrs', 'misess'], ['mr', 'mister'], ['dr', 'doctor'], ['st', 'saint'], ['co', 'company'],
    ['jr', 'junior'], ['maj', 'major'], ['gen', 'general'], ['drs', 'doctors'], ['rev', 'reverend'],
    ['lt', 'lieutenant'], ['hon', 'honorable'], ['sgt', 'sergeant'], ['capt', 'captain'],
    ['esq', 'esquire'], ['ltd', 'limited'], ['col', 'colonel'], ['ft', 'fort'], ['etc', 'et cetera'],
    ['btw', 'by the way'],
  ] as const
).map(([short, long]) => [new RegExp(`\\b${short}\\b`, 'giu'), long] as const);

export function expandAbbreviations(text: string): string {
  return ABBREVIATIONS.reduce((out, [pattern, long]) => out.replace(pattern, long), text);
}

function dollars(amount: string): string {
  const parts = amount.split('.');
  if (parts.length > 2) return ` ${amount} dollars `;
  const whole = parts[0] ? Number.parseInt(parts[0], 10) : 0;
  const cents = parts[1] ? Number.parseInt(parts[1], 10) : 0;
  const unit = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (whole && cents) return ` ${unit(whole, 'dollar', 'dollars')}, ${unit(cents, 'cent', 'cents')} `;
  if (whole) return ` ${unit(whole, 'dollar', 'dollars')} `;
  if (cents) return ` ${unit(cents, 'cent', 'cents')} `;
  return ' zero dollars ';
}

function fraction(numerator: string, denominator: string): string {
  const n = Number.parseInt(numerator, 10);
  const d = Number.parseInt(denominator, 10);
  if (n === 1 && d === 2) return ' one half ';
  if (n === 1 && d === 4) return ' one quarter ';
  if (d === 2) return ` ${numberToWords(numerator)} halves `;
  if (d === 4) return ` ${numberToWords(numerator)} quarters `;
  return ` ${numberToWords(numerator)} ${ordinalWords(numberToWords(denominator))} `;
}

// Years between 1000 and 3000 are read in pairs ("nineteen eighty-four"), except round ones.
function cardinal(digits: string): string {
  const n = Number(digits);
  if (n > 1000 && n < 3000) {
    if (n === 2000) return ' two thousand ';
    if (n > 2000 && n < 2010) return ` two thousand ${numberToWords(n % 100)} `;
    if (n % 100 === 0) return ` ${numberToWords(Math.floor(n / 100))} hundred `;
    return ` ${numberToWords(n, { andWord: '', zero: 'oh', group: 2 }).replaceAll(', ', ' ')} `;
  }
  return ` ${numberToWords(digits.replace(/^0+(?=\d)/u, ''), { andWord: '' })} `;
}

export function normalizeNumbers(text: string): string {
  return text
    .replace(/([0-9][0-9,]+[0-9])/gu, (m) => m.replaceAll(',', ''))
    .replace(/£([0-9,]*[0-9]+)/gu, '$1 pounds')
    .replace(/\$([0-9.,]*[0-9]+)/gu, (_m, amount: string) => dollars(amount))
    .replace(/([0-9]+)\/([0-9]+)/gu, (_m, n: string, d: string) => fraction(n, d))
    .replace(/([0-9]+\.[0-9]+)/gu, (m) => m.replace('.', ' point '))
    .replace(/([0-9.,]*[0-9]+%)/gu, (m) => m.replace('%', ' percent '))
    .replace(/[0-9]+(st|nd|rd|th)/gu, (m) => ` ${ordinalWords(numberToWords(m.slice(0, -2)))} `)
    .replace(/[0-9]+/gu, (m) => cardinal(m));
}

/** What Amphion's English path does to text before espeak. */
export function normalizeEnglish(text: string): string {
  return normalizeNumbers(expandAbbreviations(text));
}

const SPECIAL_MAP: readonly (readonly [string, string])[] = [
  ['t|ɹ', 'tɹ'], ['d|ɹ', 'dɹ'], ['t|s', 'ts'], ['d|z', 'dz'], ['ɪ|ɹ', 'ɪɹ'], ['ɐ', 'ɚ'], ['ᵻ', 'ɪ'],
  ['əl', 'l'], ['x', 'k'], ['ɬ', 'l'], ['ʔ', 't'], ['n̩', 'n'], ['oː|ɹ', 'oːɹ'],
];
const ENDS_IN_PHONE = new Set('p⁼ʰmftnlkxʃs`ɹaoəɛɪeɑʊŋiuɥwæjː');

/** Merges and maps whole phones (between `|`/`_` boundaries) until none is left to map. */
export function applySpecialMap(phones: string): string {
  let out = phones;
  for (const [from, to] of SPECIAL_MAP) {
    const escaped = from.replaceAll('|', '\\|');
    const test = new RegExp(`(^|[_|])${escaped}([_|]|$)`, 'u');
    const replace = new RegExp(`(^|[_|])${escaped}([_|]|$)`, 'gu');
    while (test.test(out)) out = out.replace(replace, `$1${to}$2`);
  }
  return out;
}

/** A blank after a final phone (not after punctuation), then the special map. */
export function finishEnglishPhones(phones: string): string {
  const withBlank = phones.length > 0 && ENDS_IN_PHONE.has(phones.at(-1)!) ? `${phones}|_` : phones;
  return applySpecialMap(withBlank);
}
