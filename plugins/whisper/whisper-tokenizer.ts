// The model's tokenizer and what the decoder needs from it, read once per weight folder:
// tokenizer.json from the weights, or in smoke mode a generated one shaped like Whisper's.
import { join } from 'node:path';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { SubwordTokenizer } from '../../core/text/toolkit.ts';
import type { WhisperPreset } from './presets.ts';
import { smokeTokenizerJson } from './smoke-tokenizer.ts';
import { suppressedTokens, whisperTokens, type WhisperTokens } from './special-tokens.ts';

export interface WhisperVocabulary {
  readonly tokenizer: SubwordTokenizer;
  readonly tokens: WhisperTokens;
  readonly suppressed: readonly number[];
  readonly blank: readonly number[];
  /** Text of the ordinary tokens among `ids` (specials and timestamps left out). */
  text(ids: readonly number[]): string;
}

const cache = new Map<string, Promise<WhisperVocabulary>>();

async function build(ctx: HandlerContext, preset: WhisperPreset): Promise<WhisperVocabulary> {
  const tokenizer =
    ctx.weightState === 'smoke'
      ? ctx.text.tokenizerFrom(smokeTokenizerJson(preset.vocab, { multilingual: preset.multilingual }))
      : await ctx.text.tokenizer(join(ctx.weightDir, 'tokenizer.json'));
  const tokens = whisperTokens(tokenizer);
  return {
    tokenizer,
    tokens,
    suppressed: suppressedTokens(tokenizer, tokens),
    blank: tokenizer.encode(' ', { addSpecialTokens: false }),
    text: (ids) => {
      const spoken = ids.filter((id) => id < tokens.eot);
      // The tokenizer refuses an empty list; a window of timestamps alone has no text.
      return spoken.length === 0 ? '' : tokenizer.decode(spoken);
    },
  };
}

export function whisperVocabulary(ctx: HandlerContext, preset: WhisperPreset): Promise<WhisperVocabulary> {
  const key = `${ctx.weightState}:${ctx.weightDir}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = build(ctx, preset);
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}
