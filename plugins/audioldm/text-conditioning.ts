// Text → the UNet's `class_labels`: RoBERTa BPE (the shipped tokenizer.json, or a smoke one),
// CLAP's text tower, then L2 normalisation as diffusers' `_encode_prompt` does. The
// unconditional embedding is that of the empty text (original clap/encoders.py
// get_unconditional_condition; diffusers' empty negative prompt).
import { join } from 'node:path';
import { float32Tensor, floatsOf, int64Tensor } from '../../core/onnx/tensors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { SubwordTokenizer } from '../../core/text/toolkit.ts';
import { TEXT_EMBED } from './contracts.ts';
import { smokeRobertaTokenizerJson } from './smoke-tokenizer.ts';

/** tokenizer_config model_max_length: CLAP's RoBERTa has 514 positions, 2 held by padding_idx. */
export const MAX_TOKENS = 512;

export interface TokenizedText {
  readonly ids: number[];
  /** More than MAX_TOKENS: cut as `truncation=True` does (text tokens dropped, </s> kept). */
  readonly truncated: boolean;
}

const tokenizers = new Map<string, Promise<SubwordTokenizer>>();

export function robertaTokenizer(ctx: HandlerContext): Promise<SubwordTokenizer> {
  const key = `${ctx.weightState}:${ctx.weightDir}`;
  let pending = tokenizers.get(key);
  if (!pending) {
    pending =
      ctx.weightState === 'smoke'
        ? Promise.resolve(ctx.text.tokenizerFrom(smokeRobertaTokenizerJson()))
        : ctx.text.tokenizer(join(ctx.weightDir, 'tokenizer.json'));
    pending.catch(() => tokenizers.delete(key));
    tokenizers.set(key, pending);
  }
  return pending;
}

function special(tokenizer: SubwordTokenizer, token: string): number {
  const id = tokenizer.tokenToId(token);
  if (id === undefined) throw new Error(`the RoBERTa tokenizer has no ${token}`);
  return id;
}

/** `tokenizer(text, truncation=True, max_length=512)`: <s> text </s>. */
export function tokenize(tokenizer: SubwordTokenizer, text: string): TokenizedText {
  const body = text === '' ? [] : tokenizer.encode(text, { addSpecialTokens: false });
  const room = MAX_TOKENS - 2;
  return { ids: [special(tokenizer, '<s>'), ...body.slice(0, room), special(tokenizer, '</s>')], truncated: body.length > room };
}

/** `F.normalize(x, dim=-1)`: x / max(‖x‖, 1e-12). */
export function l2Normalize(values: Float32Array): Float32Array {
  let norm = 0;
  for (const v of values) norm += v * v;
  const scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
  return values.map((v) => v * scale);
}

export interface Conditioning {
  /** [uncond; cond], [2, 512]: diffusers' `torch.cat([negative_prompt_embeds, prompt_embeds])`. */
  readonly both: Float32Array;
  readonly truncated: boolean;
}

async function embed(ctx: HandlerContext, ids: readonly number[]): Promise<Float32Array> {
  const graph = ctx.graphs.text_encoder;
  if (!graph) throw new Error("plugin 'audioldm': graph 'text_encoder' is not declared");
  // No padding: with the attention mask, pads change neither the pooled <s> nor the embedding.
  const { text_embeds } = await graph.run(
    { input_ids: int64Tensor(ids, [1, ids.length]), attention_mask: int64Tensor(ids.map(() => 1), [1, ids.length]) },
    { signal: ctx.signal },
  );
  return l2Normalize(floatsOf(text_embeds, 'text_encoder.text_embeds'));
}

export async function encodeText(ctx: HandlerContext, text: string): Promise<Conditioning> {
  const tokenizer = await robertaTokenizer(ctx);
  const prompt = tokenize(tokenizer, text);
  const [uncond, cond] = await Promise.all([embed(ctx, tokenize(tokenizer, '').ids), embed(ctx, prompt.ids)]);
  const both = new Float32Array(2 * TEXT_EMBED);
  both.set(uncond!, 0);
  both.set(cond!, TEXT_EMBED);
  return { both, truncated: prompt.truncated };
}

export const embeddingTensor = (values: Float32Array, items: number) => float32Tensor(values, [items, TEXT_EMBED]);
