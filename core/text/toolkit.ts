// The text service plugins and surfaces use (`ctx.text`): a phonemizer with Amphion's
// conventions, phone vocabularies and subword tokenizers from a model's weight folder,
// English normalisation, sentence splitting and length limits, and the espeak-ng engine
// the phonemizer runs on (which can also speak). The implementation lives beside this file.
import type { SubwordTokenizer } from './bpe-tokenizer.ts';
import type { G2pLanguage } from './g2p/languages.ts';
import type { PhoneVocab } from './phone-vocab.ts';

export type { G2pLanguage } from './g2p/languages.ts';
export type { PhoneVocab } from './phone-vocab.ts';
export type { SubwordTokenizer } from './bpe-tokenizer.ts';

export interface Phonemized {
  readonly language: G2pLanguage;
  /** The phone string exactly as Amphion's G2P writes it: `|` between phones, `_` for a word gap. */
  readonly text: string;
  /** The same phones as a list (empty entries dropped), ready for `PhoneVocab.ids`. */
  readonly phones: readonly string[];
}

export interface EspeakVoice {
  /** espeak's identifier, e.g. `gmw/en-US`. */
  readonly identifier: string;
  readonly name: string;
  /** Language codes, the voice's own first (`en-us`, `en`). */
  readonly languages: readonly string[];
}

export interface EspeakSynthesisOptions {
  /** Voice identifier, optionally `+variant` (`gmw/en-US+f3`). */
  readonly voice: string;
  /** Words per minute; clamped to espeak's range (`EspeakSpeech.rate`). */
  readonly rate?: number;
  /** Base pitch 0–100 (50 is the voice's own). */
  readonly pitch?: number;
  /** Pitch range 0–100 (0 is monotone). */
  readonly range?: number;
}

/** espeak-ng itself: its voices, raw IPA and its formant synthesizer. */
export interface EspeakSpeech {
  readonly sampleRate: number;
  readonly rate: { readonly min: number; readonly normal: number; readonly max: number };
  voices(): Promise<readonly EspeakVoice[]>;
  /** Voice variants (`f3`, `m1`, `klatt`, ...) that can follow a voice after `+`. */
  variants(): Promise<readonly string[]>;
  /** The voice espeak uses for a language code (`fr` → `roa/fr`), undefined when it has none. */
  voiceFor(language: string): Promise<string | undefined>;
  /** IPA as espeak writes it (`h_ə_l_ˈoʊ w_ˈɜː_l_d`), for a language code. */
  ipa(text: string, language: string): Promise<string>;
  synthesize(text: string, options: EspeakSynthesisOptions): Promise<{ audio: Float32Array; sampleRate: number }>;
}

export interface TextToolkit {
  /** Languages the phonemizer supports, as codes clients send. */
  readonly languages: readonly G2pLanguage[];
  /** The phonemizer language for a client code (`en-us` → `en`); 400 naming `field` when unsupported. */
  resolveLanguage(code: string, field?: string): G2pLanguage;
  /** Text to phones with Amphion's G2P conventions; mixed Chinese/English text for `zh` and `en`. */
  phonemize(text: string, language: string, options?: { field?: string }): Promise<Phonemized>;
  /** Abbreviations and numbers spelled out, as the English phonemizer does first. */
  normalizeEnglish(text: string): string;
  /** A phone → id table, e.g. `vocab.json` in a model's weight folder. */
  phoneVocab(path: string): Promise<PhoneVocab>;
  phoneVocabFrom(data: unknown): PhoneVocab;
  /** A subword tokenizer from a local `tokenizer.json` (and `tokenizer_config.json` beside it). */
  tokenizer(path: string): Promise<SubwordTokenizer>;
  tokenizerFrom(tokenizerJson: object, tokenizerConfig?: object): SubwordTokenizer;
  splitSentences(text: string): string[];
  /** Sentences packed into chunks of at most `maxChars` characters (long ones cut at clauses, then words). */
  chunkText(text: string, options: { maxChars: number }): string[];
  /** 400 naming `field` when the text is empty or longer than `maxChars`. */
  assertLength(text: string, options: { field: string; maxChars: number }): void;
  readonly espeak: EspeakSpeech;
  /** Stops the espeak worker thread. */
  close(): Promise<void>;
}
