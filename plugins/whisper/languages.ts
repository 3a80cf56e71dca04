// Whisper's languages in token order (openai/whisper `tokenizer.py` LANGUAGES): language
// token i is <|code|>; multilingual checkpoints before large-v3 have the first 99.
import { errors } from '../../core/errors.ts';

export const WHISPER_LANGUAGES: readonly (readonly [code: string, name: string])[] = [
  ['en', 'english'], ['zh', 'chinese'], ['de', 'german'], ['es', 'spanish'], ['ru', 'russian'], ['ko', 'korean'], ['fr', 'french'],
  ['ja', 'japanese'], ['pt', 'portuguese'], ['tr', 'turkish'], ['pl', 'polish'], ['ca', 'catalan'], ['nl', 'dutch'], ['ar', 'arabic'],
  ['sv', 'swedish'], ['it', 'italian'], ['id', 'indonesian'], ['hi', 'hindi'], ['fi', 'finnish'], ['vi', 'vietnamese'], ['he', 'hebrew'],
  ['uk', 'ukrainian'], ['el', 'greek'], ['ms', 'malay'], ['cs', 'czech'], ['ro', 'romanian'], ['da', 'danish'], ['hu', 'hungarian'],
  ['ta', 'tamil'], ['no', 'norwegian'], ['th', 'thai'], ['ur', 'urdu'], ['hr', 'croatian'], ['bg', 'bulgarian'], ['lt', 'lithuanian'],
  ['la', 'latin'], ['mi', 'maori'], ['ml', 'malayalam'], ['cy', 'welsh'], ['sk', 'slovak'], ['te', 'telugu'], ['fa', 'persian'],
  ['lv', 'latvian'], ['bn', 'bengali'], ['sr', 'serbian'], ['az', 'azerbaijani'], ['sl', 'slovenian'], ['kn', 'kannada'], ['et', 'estonian'],
  ['mk', 'macedonian'], ['br', 'breton'], ['eu', 'basque'], ['is', 'icelandic'], ['hy', 'armenian'], ['ne', 'nepali'], ['mn', 'mongolian'],
  ['bs', 'bosnian'], ['kk', 'kazakh'], ['sq', 'albanian'], ['sw', 'swahili'], ['gl', 'galician'], ['mr', 'marathi'], ['pa', 'punjabi'],
  ['si', 'sinhala'], ['km', 'khmer'], ['sn', 'shona'], ['yo', 'yoruba'], ['so', 'somali'], ['af', 'afrikaans'], ['oc', 'occitan'],
  ['ka', 'georgian'], ['be', 'belarusian'], ['tg', 'tajik'], ['sd', 'sindhi'], ['gu', 'gujarati'], ['am', 'amharic'], ['yi', 'yiddish'],
  ['lo', 'lao'], ['uz', 'uzbek'], ['fo', 'faroese'], ['ht', 'haitian creole'], ['ps', 'pashto'], ['tk', 'turkmen'], ['nn', 'nynorsk'],
  ['mt', 'maltese'], ['sa', 'sanskrit'], ['lb', 'luxembourgish'], ['my', 'myanmar'], ['bo', 'tibetan'], ['tl', 'tagalog'], ['mg', 'malagasy'],
  ['as', 'assamese'], ['tt', 'tatar'], ['haw', 'hawaiian'], ['ln', 'lingala'], ['ha', 'hausa'], ['ba', 'bashkir'], ['jw', 'javanese'],
  ['su', 'sundanese'], ['yue', 'cantonese'],
];

const BY_NAME = new Map(WHISPER_LANGUAGES.map(([code, name]) => [name, code]));
const ALIASES: Readonly<Record<string, string>> = { 'zh-cn': 'zh', 'zh-tw': 'zh', cmn: 'zh', mandarin: 'zh', 'en-us': 'en', 'en-gb': 'en', 'fr-fr': 'fr', 'de-de': 'de', 'pt-br': 'pt', 'es-es': 'es', 'ja-jp': 'ja', 'ko-kr': 'ko' };

/** A client's language (code, regional code or English name) → a code the model knows; 400 otherwise. */
export function resolveWhisperLanguage(value: string, available: readonly string[], field = 'language'): string {
  const key = value.trim().toLowerCase().replaceAll('_', '-');
  const code = ALIASES[key] ?? BY_NAME.get(key) ?? key;
  if (available.includes(code)) return code;
  throw errors.invalidField(field, `'${value}' is not a language this Whisper model transcribes; use one of: ${available.join(', ')}`);
}
