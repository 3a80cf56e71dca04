// The AR model's text side: DualCodec's normalisation (utils/normalization/en.py, approximated:
// see EXPORT.md "Differences") and Whisper's multilingual tokenizer, then the token layout
// `LLM.inference` builds: [lang, text…] + speech_vocab + offset, the separator, the prompt's
// semantic codes + offset.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { VALLE } from './settings.ts';

/**
 * `normalize_en` as far as it goes without inflect: acronyms (2+ capitals) spelled out, other
 * words lowercased unless all capitals, full-width punctuation folded (NFKC), trailing space
 * dropped, 'quoted' after a space → "quoted", apostrophes → ^, ; and : → ,.
 * Other languages: NFKC and whitespace only.
 */
export function normalizeText(text: string, language: string): string {
  let out = text.normalize('NFKC').replace(/\s+/g, ' ');
  if (language !== 'en') return out.trim();
  out = out.replace(/\b[A-Z]{2,}\b/g, (word) => word.split('').join(' '));
  out = out.replace(/\b[\w']+\b/g, (word) => ([...word].every((c) => c === c.toUpperCase() || c === ' ') ? word : word.toLowerCase()));
  out = out.trimEnd();
  out = out.replace(/(?<=\s)'([^']*)'/g, '"$1"');
  return out.replace(/'/g, '^').replace(/[;:]/g, ',');
}

export interface TextTokenizer {
  readonly languageToken: (language: string) => number;
  readonly encode: (text: string) => number[];
}

/** Whisper's tokenizer from the weight folder; on smoke graphs without one, UTF-8 bytes stand in. */
export async function textTokenizer(ctx: Pick<HandlerContext, 'weightDir' | 'weightState' | 'text'>): Promise<TextTokenizer> {
  const path = join(ctx.weightDir, VALLE.tokenizerFile);
  if (ctx.weightState === 'smoke' && !existsSync(path)) {
    // meaningless like the smoke graphs, but in range: byte values and `<|en|>`'s id
    return { languageToken: () => 50259, encode: (text) => [...new TextEncoder().encode(text)] };
  }
  const tokenizer = await ctx.text.tokenizer(path);
  return {
    languageToken: (language) => {
      const id = tokenizer.tokenToId(`<|${language}|>`);
      if (id === undefined) throw new Error(`dualcodec-valle: ${VALLE.tokenizerFile} has no <|${language}|> token`);
      return id;
    },
    encode: (text) => tokenizer.encode(text, { addSpecialTokens: false }),
  };
}

/** `LLM.inference`'s input: text + speech_vocab + offset ⧺ [sep] ⧺ prompt speech + offset. */
export function arPrompt(textTokens: readonly number[], promptSemantic: ArrayLike<number>): number[] {
  const { speechVocab, initialOffset, sep } = VALLE.ar;
  return [...textTokens.map((t) => t + speechVocab + initialOffset), sep, ...Array.from(promptSemantic, (c) => c + initialOffset)];
}
