// Text → CLAP embedding: RoBERTa BPE (the weight folder's tokenizer.json, or a smoke one),
// CLAP's text tower, then L2 normalisation (diffusers' `F.normalize(prompt_embeds, dim=-1)`,
// laion-clap's `get_text_embedding`).
import { join } from 'node:path';
import { floatsOf, int64Tensor } from '../../core/onnx/tensors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { SubwordTokenizer } from '../../core/text/toolkit.ts';
import { smokeRobertaTokenizerJson } from './smoke-tokenizer.ts';

export interface TokenizedText {
  readonly ids: number[];
  /** More than maxTokens: cut as `truncation=True` does (text tokens dropped, </s> kept). */
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

/** `tokenizer(text, truncation=True, max_length=maxTokens)`: <s> text </s>. */
export function tokenize(tokenizer: SubwordTokenizer, text: string, maxTokens: number): TokenizedText {
  const body = text === '' ? [] : tokenizer.encode(text, { addSpecialTokens: false });
  const room = maxTokens - 2;
  return { ids: [special(tokenizer, '<s>'), ...body.slice(0, room), special(tokenizer, '</s>')], truncated: body.length > room };
}

/** `F.normalize(x, dim=-1)`: x / max(‖x‖, 1e-12). */
export function l2Normalize(values: Float32Array): Float32Array {
  let norm = 0;
  for (const v of values) norm += v * v;
  const scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
  return values.map((v) => v * scale);
}

/** The normalised embedding [512] of one tokenized text through the plugin's `text_encoder`. */
export async function clapEmbedding(ctx: HandlerContext, ids: readonly number[]): Promise<Float32Array> {
  const graph = ctx.graphs.text_encoder;
  if (!graph) throw new Error(`plugin '${ctx.plugin.name}': graph 'text_encoder' is not declared`);
  // No padding: with the attention mask, pads change neither the pooled <s> nor the embedding.
  const { text_embeds } = await graph.run(
    { input_ids: int64Tensor(ids, [1, ids.length]), attention_mask: int64Tensor(ids.map(() => 1), [1, ids.length]) },
    { signal: ctx.signal },
  );
  return l2Normalize(floatsOf(text_embeds, 'text_encoder.text_embeds'));
}
