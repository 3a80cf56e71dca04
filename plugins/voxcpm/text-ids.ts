// VoxCPM's text front end (model/utils.py `mask_multichar_chinese_tokens`, core.py): the
// MiniCPM-4 SentencePiece-BPE tokenizer from the weight folder, no special tokens, with every
// multi-character Chinese token split into its characters; newlines read as spaces. Smoke
// weights have no tokenizer: there each character is one id, which is all a smoke graph needs.
import { join } from 'node:path';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { SubwordTokenizer } from '../../core/text/toolkit.ts';

export type TextIds = (text: string) => number[];

const CJK = /^[\u4e00-\u9fff]{2,}$/;
/** SentencePiece's word-start marker. */
const WORD_START = '\u2581';

export function voxcpmTextIds(tokenizer: SubwordTokenizer): TextIds {
  const unknown = tokenizer.tokenToId('<unk>') ?? 0;
  return (text) =>
    tokenizer.encode(text, { addSpecialTokens: false }).flatMap((id) => {
      const clean = (tokenizer.idToToken(id) ?? '').replaceAll(WORD_START, '');
      return CJK.test(clean) ? [...clean].map((c) => tokenizer.tokenToId(c) ?? unknown) : [id];
    });
}

/** Smoke weights: one id per character, clear of the special ids (101–104). */
export const smokeTextIds: TextIds = (text) => [...text].map((c) => 200 + (c.codePointAt(0)! % 1000));

const loaded = new Map<string, Promise<TextIds>>();

export function textIdsFor(ctx: Pick<HandlerContext, 'weightState' | 'weightDir' | 'text'>): Promise<TextIds> {
  if (ctx.weightState === 'smoke') return Promise.resolve(smokeTextIds);
  let pending = loaded.get(ctx.weightDir);
  if (!pending) {
    pending = ctx.text.tokenizer(join(ctx.weightDir, 'tokenizer.json')).then(voxcpmTextIds);
    pending.catch(() => loaded.delete(ctx.weightDir));
    loaded.set(ctx.weightDir, pending);
  }
  return pending;
}

/** core.py `generate`: newlines become spaces, surrounding space goes. */
export const cleanText = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();
