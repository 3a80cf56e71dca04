// Subword tokenizers loaded from a model's local `tokenizer.json` (Hugging Face format:
// byte-level BPE and the other model types the format covers). @huggingface/tokenizers
// gives ids identical to the Rust implementation; nothing is fetched.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { errors } from '../errors.ts';

export interface SubwordTokenizer {
  readonly vocabSize: number;
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  decode(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
}

export function tokenizerFrom(tokenizerJson: object, tokenizerConfig: object = {}): SubwordTokenizer {
  const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
  const vocabSize = tokenizer.get_vocab(true).size;
  return {
    vocabSize,
    encode: (text, options = {}) => tokenizer.encode(text, { add_special_tokens: options.addSpecialTokens ?? true }).ids,
    decode: (ids, options = {}) => tokenizer.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? false }),
    tokenToId: (token) => tokenizer.token_to_id(token),
    idToToken: (id) => tokenizer.id_to_token(id),
  };
}

async function readJson(path: string): Promise<object> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as object;
  } catch (error) {
    throw errors.unavailable(`tokenizer file ${path} cannot be read: ${(error as Error).message}`);
  }
}

/** Loads `tokenizer.json` and, when it lies beside it, `tokenizer_config.json`. */
export async function loadTokenizer(path: string): Promise<SubwordTokenizer> {
  const configPath = join(dirname(path), 'tokenizer_config.json');
  const config = existsSync(configPath) ? await readJson(configPath) : {};
  return tokenizerFrom(await readJson(path), config);
}
