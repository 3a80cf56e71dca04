// Arabic numerals read out in Chinese, as Amphion's Mandarin path does with
// `cn2an.transform(text, "an2cn")`: years digit by digit (二零二四年), percentages
// (百分之五十), fractions (四分之三), decimals (三点一四) and integers (一万零一十).

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const PLACES = ['千', '百', '十', ''];
const SECTIONS = ['', '万', '亿', '万亿'];

export function digitsToChinese(digits: string): string {
  return [...digits].map((d) => DIGITS[Number(d)] ?? d).join('');
}

function sectionToChinese(four: string): string {
  let out = '';
  let pendingZero = false;
  [...four.padStart(4, '0')].forEach((d, i) => {
    if (d === '0') {
      pendingZero = out !== '';
      return;
    }
    if (pendingZero) out += '零';
    out += DIGITS[Number(d)]! + PLACES[i]!;
    pendingZero = false;
  });
  return out;
}

export function integerToChinese(digits: string): string {
  const trimmed = digits.replace(/^0+/u, '');
  if (trimmed === '') return '零';
  if (trimmed.length > 16) return digitsToChinese(trimmed);
  const sections: string[] = [];
  for (let end = trimmed.length; end > 0; end -= 4) sections.unshift(trimmed.slice(Math.max(0, end - 4), end));
  let out = '';
  let skipped = false;
  sections.forEach((section, i) => {
    const value = Number(section);
    if (value === 0) {
      skipped = out !== '';
      return;
    }
    if (out !== '' && (skipped || value < 1000)) out += '零';
    out += sectionToChinese(section) + SECTIONS[sections.length - 1 - i]!;
    skipped = false;
  });
  // 十五, not 一十五, when the number starts with ten.
  return out.startsWith('一十') ? out.slice(1) : out;
}

function decimalToChinese(number: string): string {
  const negative = number.startsWith('-');
  const [whole = '', fraction] = (negative ? number.slice(1) : number).split('.');
  const words = integerToChinese(whole) + (fraction ? `点${digitsToChinese(fraction)}` : '');
  return negative ? `负${words}` : words;
}

export function numbersToChinese(text: string): string {
  return text
    .replace(/(\d{2,4})年/gu, (_m, year: string) => `${digitsToChinese(year)}年`)
    .replace(/(\d+(?:\.\d+)?)%/gu, (_m, n: string) => `百分之${decimalToChinese(n)}`)
    .replace(/(\d+)\/(\d+)/gu, (_m, n: string, d: string) => `${integerToChinese(d)}分之${integerToChinese(n)}`)
    .replace(/-?\d+(?:\.\d+)?/gu, (n) => decimalToChinese(n));
}
