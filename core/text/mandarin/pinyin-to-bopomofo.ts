// Toneless pinyin (ü written v) to zhuyin/bopomofo by the standard spelling rules:
// initial + final, with the y/w spellings and j/q/x + u = ü. Amphion's Mandarin front end
// works in bopomofo, so its phone mapping (bopomofo-to-ipa.ts) starts from here.

const INITIALS: readonly (readonly [string, string])[] = [
  ['zh', 'ㄓ'], ['ch', 'ㄔ'], ['sh', 'ㄕ'],
  ['b', 'ㄅ'], ['p', 'ㄆ'], ['m', 'ㄇ'], ['f', 'ㄈ'], ['d', 'ㄉ'], ['t', 'ㄊ'], ['n', 'ㄋ'], ['l', 'ㄌ'],
  ['g', 'ㄍ'], ['k', 'ㄎ'], ['h', 'ㄏ'], ['j', 'ㄐ'], ['q', 'ㄑ'], ['x', 'ㄒ'], ['r', 'ㄖ'], ['z', 'ㄗ'], ['c', 'ㄘ'], ['s', 'ㄙ'],
];

const FINALS: Readonly<Record<string, string>> = {
  a: 'ㄚ', o: 'ㄛ', e: 'ㄜ', ê: 'ㄝ', ai: 'ㄞ', ei: 'ㄟ', ao: 'ㄠ', ou: 'ㄡ', an: 'ㄢ', en: 'ㄣ', ang: 'ㄤ', eng: 'ㄥ', er: 'ㄦ', ong: 'ㄨㄥ',
  i: 'ㄧ', ia: 'ㄧㄚ', io: 'ㄧㄛ', ie: 'ㄧㄝ', iai: 'ㄧㄞ', iao: 'ㄧㄠ', iu: 'ㄧㄡ', iou: 'ㄧㄡ', ian: 'ㄧㄢ', in: 'ㄧㄣ', iang: 'ㄧㄤ', ing: 'ㄧㄥ', iong: 'ㄩㄥ',
  u: 'ㄨ', ua: 'ㄨㄚ', uo: 'ㄨㄛ', uai: 'ㄨㄞ', ui: 'ㄨㄟ', uei: 'ㄨㄟ', uan: 'ㄨㄢ', un: 'ㄨㄣ', uen: 'ㄨㄣ', uang: 'ㄨㄤ', ueng: 'ㄨㄥ',
  v: 'ㄩ', ve: 'ㄩㄝ', ue: 'ㄩㄝ', van: 'ㄩㄢ', vn: 'ㄩㄣ',
};

// Syllables spelled with y/w or written without a vowel letter.
const WHOLE: Readonly<Record<string, string>> = {
  yi: 'ㄧ', ya: 'ㄧㄚ', yo: 'ㄧㄛ', ye: 'ㄧㄝ', yai: 'ㄧㄞ', yao: 'ㄧㄠ', you: 'ㄧㄡ', yan: 'ㄧㄢ', yin: 'ㄧㄣ', yang: 'ㄧㄤ', ying: 'ㄧㄥ',
  yong: 'ㄩㄥ', yu: 'ㄩ', yv: 'ㄩ', yue: 'ㄩㄝ', yve: 'ㄩㄝ', yuan: 'ㄩㄢ', yvan: 'ㄩㄢ', yun: 'ㄩㄣ', yvn: 'ㄩㄣ',
  wu: 'ㄨ', wa: 'ㄨㄚ', wo: 'ㄨㄛ', wai: 'ㄨㄞ', wei: 'ㄨㄟ', wan: 'ㄨㄢ', wen: 'ㄨㄣ', wang: 'ㄨㄤ', weng: 'ㄨㄥ', wong: 'ㄨㄥ',
  zhi: 'ㄓ', chi: 'ㄔ', shi: 'ㄕ', ri: 'ㄖ', zi: 'ㄗ', ci: 'ㄘ', si: 'ㄙ',
  m: 'ㄇㄨ', n: 'ㄣ', ng: 'ㄣ', hm: 'ㄏㄇ', hng: 'ㄏㄣ',
};

/** `pinyinToBopomofo('zhuang')` → 'ㄓㄨㄤ'; undefined when it is not a pinyin syllable. */
export function pinyinToBopomofo(syllable: string): string | undefined {
  const s = syllable.toLowerCase().replaceAll('ü', 'v');
  const whole = WHOLE[s];
  if (whole) return whole;
  const initial = INITIALS.find(([letters]) => s.startsWith(letters));
  if (!initial) return FINALS[s];
  let final = s.slice(initial[0].length);
  // After j, q and x a written u is ü.
  if ('jqx'.includes(initial[0]) && final.startsWith('u')) final = `v${final.slice(1)}`;
  // bo/po/mo/fo are spelled with o but pronounced uo; bopomofo writes ㄛ and the IPA map adds the w.
  const rime = FINALS[final];
  return rime === undefined ? undefined : initial[1] + rime;
}

/** Tone 1 has no mark; Amphion writes 0 and 5 (neutral) as ˙. */
export const TONE_MARKS: Readonly<Record<string, string>> = { '0': '˙', '5': '˙', '1': '', '2': 'ˊ', '3': 'ˇ', '4': 'ˋ' };
