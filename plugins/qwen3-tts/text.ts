// Qwen3-TTS's text front end (qwen_tts/inference/qwen3_tts_model.py): the Qwen2 byte-level BPE
// tokenizer, and the chat-style strings the reference tokenizes whole before slicing ids out of
// them. Real weights: `tokenizer.json` from the weight folder, or the checkpoint's own
// `vocab.json` + `merges.txt` (+ `tokenizer_config.json` for the added tokens) assembled here
// into the same tokenizer.json shape transformers' Qwen2TokenizerFast uses. Smoke weights: a
// tiny tokenizer of the same shape (the 256 byte symbols in GPT-2 order, the merges that spell
// the chat roles, the chat specials at their real ids), so the template yields the real ids
// of its fixed parts.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { SubwordTokenizer } from '../../core/text/toolkit.ts';
import { QWEN3 } from './variants.ts';

// ── The chat template (qwen3_tts_model.py _build_*_text) ─────────────────────────
export const assistantText = (text: string) => `<|im_start|>assistant\n${text}<|im_end|>\n<|im_start|>assistant\n`;
export const referenceText = (text: string) => `<|im_start|>assistant\n${text}<|im_end|>\n`;
export const instructText = (instruct: string) => `<|im_start|>user\n${instruct}<|im_end|>\n`;

export type TextIds = (text: string) => number[];

/** The ids the reference feeds: each template string tokenized whole (`processor(text=...)`). */
export interface PromptIds {
  /** assistantText(text): [role (3)] [text] [<|im_end|>, \n, <|im_start|>, assistant, \n]. */
  readonly target: number[];
  /** referenceText(ref): [role (3)] [ref text] [<|im_end|>, \n]. */
  readonly reference?: number[];
  /** instructText(instruct), all of it. */
  readonly instruct?: number[];
}

export function promptIds(ids: TextIds, parts: { text: string; reference?: string; instructions?: string }): PromptIds {
  return {
    target: ids(assistantText(parts.text)),
    ...(parts.reference ? { reference: ids(referenceText(parts.reference)) } : {}),
    ...(parts.instructions ? { instruct: ids(instructText(parts.instructions)) } : {}),
  };
}

export function qwen3TextIds(tokenizer: SubwordTokenizer): TextIds {
  return (text) => tokenizer.encode(text, { addSpecialTokens: false });
}

// ── tokenizer.json from vocab + merges ───────────────────────────────────────────
/** Qwen2's pre-tokenizer split (tokenization_qwen2.py PRETOKENIZE_REGEX). */
export const QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

export interface AddedToken {
  readonly id: number;
  readonly content: string;
  readonly special?: boolean;
}

/** The tokenizer.json Qwen2TokenizerFast builds from vocab.json + merges.txt (NFC, split, byte-level BPE). */
export function qwen2TokenizerJson(vocab: Readonly<Record<string, number>>, merges: readonly string[], added: readonly AddedToken[]): object {
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
  return {
    version: '1.0',
    added_tokens: added.map((t) => ({ id: t.id, content: t.content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: t.special ?? true })),
    normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: QWEN2_SPLIT }, behavior: 'Isolated', invert: false }, byteLevel] },
    post_processor: byteLevel,
    decoder: byteLevel,
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: { ...vocab, ...Object.fromEntries(added.map((t) => [t.content, t.id])) }, merges: [...merges] },
  };
}

/** GPT-2's byte → printable symbol table (bytes_to_unicode), indexed by byte. */
export function byteSymbols(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let extra = 0;
  return [...Array(256).keys()].map((b) => (printable(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++)));
}

/** The chat specials every Qwen2 vocabulary ends with. */
export const CHAT_SPECIALS: readonly AddedToken[] = [
  { id: 151643, content: '<|endoftext|>' },
  { id: QWEN3.text.imStart, content: '<|im_start|>' },
  { id: QWEN3.text.imEnd, content: '<|im_end|>' },
];

/**
 * The smoke tokenizer: byte symbols at Qwen2's ids 0..255 (printable bytes first, as GPT-2),
 * merges that spell "assistant" (77091) and "user" (872) with their real ids, the chat
 * specials at theirs. Everything else tokenizes byte by byte.
 */
export function smokeTokenizerJson(): object {
  const symbols = byteSymbols();
  const order = [...Array(256).keys()].sort((a, b) => Number(symbols[a]!.charCodeAt(0) >= 256) - Number(symbols[b]!.charCodeAt(0) >= 256) || a - b);
  const vocab: Record<string, number> = {};
  order.forEach((byte, id) => (vocab[symbols[byte]!] = id));
  const merges: string[] = [];
  let next = 100_000;
  for (const [word, id] of [['assistant', 77091], ['user', 872]] as const) {
    for (let end = 2; end <= word.length; end++) {
      merges.push(`${word.slice(0, end - 1)} ${word[end - 1]}`);
      vocab[word.slice(0, end)] = end === word.length ? id : next++;
    }
  }
  return qwen2TokenizerJson(vocab, merges, CHAT_SPECIALS);
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw errors.unavailable(`tokenizer file ${path} cannot be read: ${(error as Error).message}`);
  }
}

/** The checkpoint's vocab.json + merges.txt (+ added tokens of tokenizer_config.json) as tokenizer.json. */
export async function tokenizerJsonFromVocab(dir: string): Promise<object> {
  const vocab = (await readJson(join(dir, 'vocab.json'))) as Record<string, number>;
  const merges = (await readFile(join(dir, 'merges.txt'), 'utf8')).split('\n').filter((line) => line && !line.startsWith('#version'));
  const configPath = join(dir, 'tokenizer_config.json');
  const decoder = existsSync(configPath) ? ((await readJson(configPath)).added_tokens_decoder as Record<string, { content: string; special?: boolean }> | undefined) : undefined;
  const added = decoder ? Object.entries(decoder).map(([id, t]) => ({ id: Number(id), content: t.content, special: t.special ?? true })) : CHAT_SPECIALS;
  return qwen2TokenizerJson(vocab, merges, added);
}

const loaded = new Map<string, Promise<TextIds>>();

export function textIdsFor(ctx: Pick<HandlerContext, 'weightState' | 'weightDir' | 'text'>): Promise<TextIds> {
  const key = ctx.weightState === 'smoke' ? 'smoke' : ctx.weightDir;
  let pending = loaded.get(key);
  if (!pending) {
    const tokenizerJson = join(ctx.weightDir, 'tokenizer.json');
    pending = (async () => {
      if (ctx.weightState === 'smoke') return qwen3TextIds(ctx.text.tokenizerFrom(smokeTokenizerJson()));
      if (existsSync(tokenizerJson)) return qwen3TextIds(await ctx.text.tokenizer(tokenizerJson));
      return qwen3TextIds(ctx.text.tokenizerFrom(await tokenizerJsonFromVocab(ctx.weightDir)));
    })();
    pending.catch(() => loaded.delete(key));
    loaded.set(key, pending);
  }
  return pending;
}
