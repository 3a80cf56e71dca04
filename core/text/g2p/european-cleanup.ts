// The punctuation and symbol clean-up Amphion's French and German front ends share
// (`g2p/g2p/french.py`, `german.py`) before the text goes to espeak.

const REPLACEMENTS: Readonly<Record<string, string>> = {
  '：': ',', '；': ',', '，': ',', '。': '.', '！': '!', '？': '?', '\n': '.', '·': ',', '、': ',',
  '...': '.', '…': '.', $: '.', '“': '', '”': '', '‘': '', '’': '', '（': '', '）': '', '(': '', ')': '',
  '《': '', '》': '', '【': '', '】': '', '[': '', ']': '', '—': '', '～': '-', '~': '-', '「': '', '」': '',
  '¿': '', '¡': '',
};
const REPLACEMENT_PATTERN = new RegExp(
  Object.keys(REPLACEMENTS).map((k) => k.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')).join('|'),
  'gu',
);

export function cleanEuropeanText(text: string, options: { ampersand?: string } = {}): string {
  let out = text.replace(REPLACEMENT_PATTERN, (m) => REPLACEMENTS[m]!);
  out = out.replaceAll(';', ',').replaceAll('-', ' ').replaceAll(':', ',');
  if (options.ampersand) out = out.replaceAll('&', options.ampersand);
  out = out.replace(/[<>()[\]"«»]+/gu, '');
  out = out.replace(/^[,.!?]+/u, '');
  return out.replace(/\s+/gu, ' ').trim();
}
