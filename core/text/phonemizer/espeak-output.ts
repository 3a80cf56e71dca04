// espeak's raw IPA ("h_ə_l_ˈoʊ w_ˈɜː_l_d") turned into phonemizer's separated form
// ("h|ə|l|oʊ|_|w|ɜː|l|d") the way its espeak backend does with stress removed and
// language-switch flags such as "(en)" dropped.

export interface Separators {
  readonly phone: string;
  readonly word: string;
}

const STRESS = /[ˈˌ'-]+/gu;
const LANGUAGE_FLAG = /\(.+?\)/gu;

export function separateEspeakPhones(raw: string, separators: Separators, options: { stress?: boolean } = {}): string {
  let line = raw.trim().replaceAll('\n', ' ').replaceAll('  ', ' ');
  // espeak-ng may leave extra separators at word ends (espeak-ng issue 694).
  line = line.replace(/_+/gu, '_').replace(/_ /gu, ' ');
  line = line.replace(LANGUAGE_FLAG, '');
  if (!line) return '';
  return line
    .split(' ')
    .map((word) => {
      const bare = options.stress ? word.trim() : word.trim().replace(STRESS, '');
      return bare.replaceAll('_', separators.phone);
    })
    .join(separators.word);
}
