// English number words with the conventions of Python's `inflect` (which Amphion's English
// front end calls): hyphenated tens ("twenty-one"), commas between thousands groups, an
// optional "and" after hundreds, and digit-pair reading for years (`group: 2`).

const UNITS = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', ' thousand', ' million', ' billion', ' trillion', ' quadrillion', ' quintillion', ' sextillion', ' septillion', ' octillion', ' nonillion', ' decillion'];

export interface NumberWordOptions {
  /** Word after "hundred" when tens or units follow (inflect's default: "and"). */
  readonly andWord?: string;
  /** Word for 0 (inflect's default: "zero"; years use "oh"). */
  readonly zero?: string;
  /** 0: the whole number; 2: read it as pairs of digits, as in years. */
  readonly group?: 0 | 2;
}

function tensWords(tens: number, units: number, scale = 0): string {
  if (tens === 1) return TEENS[units]! + SCALES[scale]!;
  const hyphen = tens && units ? '-' : '';
  return TENS[tens]! + hyphen + UNITS[units]! + SCALES[scale]!;
}

function hundredsWords(hundreds: number, tens: number, units: number, scale: number, andWord: string): string {
  if (hundreds) {
    const and = tens || units ? ` ${andWord} ` : '';
    return `${UNITS[hundreds]} hundred${and}${tensWords(tens, units)}${SCALES[scale]}, `;
  }
  if (tens || units) return `${tensWords(tens, units)}${SCALES[scale]}, `;
  return '';
}

function wholeNumberWords(digits: string, andWord: string, zero: string): string {
  const trimmed = digits.replace(/^0+/u, '');
  if (trimmed === '') return zero;
  if (trimmed === '1') return 'one';
  if (Math.ceil(trimmed.length / 3) > SCALES.length) return [...trimmed].map((d) => (d === '0' ? zero : UNITS[Number(d)])).join(' ');
  // Read three digits at a time from the right, as inflect does.
  const parts: string[] = [];
  let rest = trimmed;
  let scale = 0;
  while (rest.length >= 3) {
    const [h, t, u] = [...rest.slice(-3)].map(Number) as [number, number, number];
    parts.unshift(hundredsWords(h, t, u, scale, andWord));
    rest = rest.slice(0, -3);
    scale++;
  }
  if (rest.length === 2) parts.unshift(`${tensWords(Number(rest[0]), Number(rest[1]), scale)}, `);
  if (rest.length === 1) parts.unshift(`${UNITS[Number(rest)]}${SCALES[scale]}, `);
  let words = parts.join('').replace(/, $/u, '').replace(/\s+,/gu, ',');
  // The last group stands without a comma when it is one word: "one thousand, five" → "one thousand and five".
  words = words.replace(/, (\S+)\s*$/u, ` ${andWord} $1`);
  return words.replace(/\s+/gu, ' ').trim();
}

function pairWords(digits: string, zero: string): string {
  let words = '';
  let i = 0;
  for (; i + 1 < digits.length; i += 2) {
    const tens = Number(digits[i]);
    const units = Number(digits[i + 1]);
    if (tens) words += `${tensWords(tens, units)}, `;
    else if (units) words += ` ${zero} ${UNITS[units]}, `;
    else words += ` ${zero} ${zero}, `;
  }
  if (i < digits.length) words += Number(digits[i]) ? `${UNITS[Number(digits[i])]}, ` : ` ${zero}, `;
  return words.replace(/, $/u, '').replace(/\s+,/gu, ',').replace(/\s+/gu, ' ').trim();
}

/** `numberToWords(1234)` → "one thousand, two hundred and thirty-four". */
export function numberToWords(value: number | bigint | string, options: NumberWordOptions = {}): string {
  const digits = String(value);
  if (!/^\d+$/u.test(digits)) throw new RangeError(`numberToWords takes a non-negative integer, got '${digits}'`);
  const zero = options.zero ?? 'zero';
  return options.group === 2 ? pairWords(digits, zero) : wholeNumberWords(digits, options.andWord ?? 'and', zero);
}

const ORDINAL_ENDINGS: readonly (readonly [string, string])[] = [
  ['ty', 'tieth'], ['one', 'first'], ['two', 'second'], ['three', 'third'], ['five', 'fifth'],
  ['eight', 'eighth'], ['nine', 'ninth'], ['twelve', 'twelfth'],
];

/** "twenty-one" → "twenty-first", "four" → "fourth". */
export function ordinalWords(words: string): string {
  // Leftmost match wins, as in inflect's single alternation: "nine" → "ninth", not "ni" + "first".
  let best: { at: number; from: string; to: string } | undefined;
  for (const [from, to] of ORDINAL_ENDINGS) {
    if (!words.endsWith(from)) continue;
    const at = words.length - from.length;
    if (!best || at < best.at) best = { at, from, to };
  }
  return best ? words.slice(0, best.at) + best.to : `${words}th`;
}
