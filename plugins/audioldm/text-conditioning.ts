// Text → the UNet's `class_labels` for both guidance branches: the CLAP embedding of the
// text and, as the unconditional branch, that of the empty text (original clap/encoders.py
// get_unconditional_condition; diffusers' empty negative prompt).
import type { HandlerContext } from '../../core/plugin/context.ts';
import { clapEmbedding, robertaTokenizer, tokenize } from '../clap-text/clap-text.ts';
import { TEXT_EMBED } from '../clap-text/contract.ts';

/** tokenizer_config model_max_length: CLAP's RoBERTa has 514 positions, 2 held by padding_idx. */
export const MAX_TOKENS = 512;

export interface Conditioning {
  /** [uncond; cond], [2, 512]: diffusers' `torch.cat([negative_prompt_embeds, prompt_embeds])`. */
  readonly both: Float32Array;
  readonly truncated: boolean;
}

export async function encodeText(ctx: HandlerContext, text: string): Promise<Conditioning> {
  const tokenizer = await robertaTokenizer(ctx);
  const prompt = tokenize(tokenizer, text, MAX_TOKENS);
  const [uncond, cond] = await Promise.all([clapEmbedding(ctx, tokenize(tokenizer, '', MAX_TOKENS).ids), clapEmbedding(ctx, prompt.ids)]);
  const both = new Float32Array(2 * TEXT_EMBED);
  both.set(uncond!, 0);
  both.set(cond!, TEXT_EMBED);
  return { both, truncated: prompt.truncated };
}
