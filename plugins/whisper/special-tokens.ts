// Whisper's special tokens, looked up by name in the model's tokenizer (so multilingual,
// English-only and large-v3 vocabularies all work), and the tokens Whisper never lets the
// decoder write (openai/whisper `tokenizer.py` non_speech_tokens, `decoding.py`).
import type { SubwordTokenizer } from '../../core/text/toolkit.ts';
import { WHISPER_LANGUAGES } from './languages.ts';

export interface WhisperTokens {
  readonly eot: number;
  readonly sot: number;
  readonly translate: number | undefined;
  readonly transcribe: number | undefined;
  readonly sotLm: number | undefined;
  readonly sotPrev: number | undefined;
  readonly noSpeech: number | undefined;
  readonly noTimestamps: number;
  /** <|0.00|>; timestamp i (0.02 s each) is timestampBegin + i. */
  readonly timestampBegin: number;
  /** Language code → token id, for the languages this vocabulary has. */
  readonly languages: ReadonlyMap<string, number>;
  readonly multilingual: boolean;
}

function required(tokenizer: SubwordTokenizer, name: string): number {
  const id = tokenizer.tokenToId(name);
  if (id === undefined) throw new Error(`the Whisper tokenizer has no ${name} token`);
  return id;
}

export function whisperTokens(tokenizer: SubwordTokenizer): WhisperTokens {
  const languages = new Map<string, number>();
  for (const [code] of WHISPER_LANGUAGES) {
    const id = tokenizer.tokenToId(`<|${code}|>`);
    if (id !== undefined) languages.set(code, id);
  }
  const noTimestamps = required(tokenizer, '<|notimestamps|>');
  return {
    eot: required(tokenizer, '<|endoftext|>'),
    sot: required(tokenizer, '<|startoftranscript|>'),
    translate: tokenizer.tokenToId('<|translate|>'),
    transcribe: tokenizer.tokenToId('<|transcribe|>'),
    sotLm: tokenizer.tokenToId('<|startoflm|>'),
    sotPrev: tokenizer.tokenToId('<|startofprev|>'),
    noSpeech: tokenizer.tokenToId('<|nospeech|>') ?? tokenizer.tokenToId('<|nocaptions|>'),
    noTimestamps,
    // Older tokenizer.json files list no timestamp tokens; they follow <|notimestamps|>.
    timestampBegin: tokenizer.tokenToId('<|0.00|>') ?? noTimestamps + 1,
    languages,
    multilingual: languages.size > 0,
  };
}

/** The start of every window: <|startoftranscript|> <|lang|> <|transcribe|> [<|notimestamps|>]. */
export function startSequence(tokens: WhisperTokens, language: string | undefined, timestamps: boolean): number[] {
  const sequence = [tokens.sot];
  if (tokens.multilingual) {
    const id = language === undefined ? undefined : tokens.languages.get(language);
    if (id !== undefined) sequence.push(id);
    if (tokens.transcribe !== undefined) sequence.push(tokens.transcribe);
  }
  if (!timestamps) sequence.push(tokens.noTimestamps);
  return sequence;
}

/** Whisper's n_ctx // 2 - 1: the most previous-text tokens a window is conditioned on. */
export const MAX_PREVIOUS_TOKENS = 223;

/**
 * The decoder prompt with earlier text (decoding.py `_get_initial_tokens`):
 * <|startofprev|>, the last 223 tokens of `previous`, then the start sequence. Without
 * earlier text (or a vocabulary without <|startofprev|>) the start sequence alone.
 */
export function withPreviousText(tokens: WhisperTokens, previous: readonly number[], start: readonly number[]): number[] {
  if (previous.length === 0 || tokens.sotPrev === undefined) return [...start];
  return [tokens.sotPrev, ...previous.slice(-MAX_PREVIOUS_TOKENS), ...start];
}

const SYMBOLS = [...'"#()*+/:;<=>@[\\]^_`{|}~「」『』', '<<', '>>', '<<<', '>>>', '--', '---', '-(', '-[', "('", '("', '((', '))', '(((', ')))', '[[', ']]', '{{', '}}', '♪♪', '♪♪♪'];
/** U+2640..U+267F music symbols: one token or several sharing their first, which is suppressed either way. */
const MISCELLANEOUS = [...'♩♪♫♬♭♮♯'];

/**
 * openai/whisper's default suppression (decoding.py `_get_suppress_tokens` with
 * suppress_tokens "-1"): tokenizer.py `non_speech_tokens` — the first token of " -" and " '"
 * (a hyphen or quote may join words but not start one), every symbol or " symbol" that is a
 * single token, the first token of each music symbol — plus the task, start, previous-text,
 * LM and no-speech tokens. Language tokens are not suppressed: the timestamp rules and the
 * prompt keep them out of the text, and whisper leaves them to the model.
 */
export function suppressedTokens(tokenizer: SubwordTokenizer, tokens: WhisperTokens): number[] {
  const encode = (text: string) => tokenizer.encode(text, { addSpecialTokens: false });
  const suppressed = new Set<number>();
  for (const text of [' -', " '"]) {
    const first = encode(text)[0];
    if (first !== undefined) suppressed.add(first);
  }
  for (const symbol of [...SYMBOLS, ...MISCELLANEOUS]) {
    for (const ids of [encode(symbol), encode(` ${symbol}`)]) {
      if (ids.length === 1 || (MISCELLANEOUS.includes(symbol) && ids.length > 0)) suppressed.add(ids[0]!);
    }
  }
  for (const id of [tokens.transcribe, tokens.translate, tokens.sot, tokens.sotPrev, tokens.sotLm, tokens.noSpeech]) {
    if (id !== undefined) suppressed.add(id);
  }
  return [...suppressed].sort((a, b) => a - b);
}
