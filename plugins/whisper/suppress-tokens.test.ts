// Whisper's default suppression list, built by our code from a slice of the real multilingual
// tokenizer (real ids, real merges), against the ids openai/whisper's own computation gives on
// the full tokenizer (fixture written by scripts/reference/whisper-suppress-tokens.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { tokenizerFrom } from '../../core/text/bpe-tokenizer.ts';
import { suppressedTokens, whisperTokens } from './special-tokens.ts';

interface Fixture {
  vocab: Record<string, number>;
  merges: string[];
  specials: Record<string, number>;
  encoded: Record<string, number[]>;
  suppress_tokens: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/multilingual-suppress.json', import.meta.url), 'utf8')) as Fixture;

const tokenizer = tokenizerFrom({
  version: '1.0',
  added_tokens: Object.entries(fixture.specials).map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
  normalizer: null,
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
  post_processor: null,
  decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
  model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, vocab: { ...fixture.vocab, ...fixture.specials }, merges: fixture.merges },
});
const tokens = whisperTokens(tokenizer);

describe("Whisper's suppressed tokens on the multilingual tokenizer", () => {
  it('the vocabulary slice encodes every string as tiktoken does on the full vocabulary', () => {
    for (const [text, ids] of Object.entries(fixture.encoded)) assert.deepEqual(tokenizer.encode(text, { addSpecialTokens: false }), ids, JSON.stringify(text));
  });

  it("are exactly openai/whisper's list: ' -', \" '\", single music symbols, the specials, no language", () => {
    const suppressed = suppressedTokens(tokenizer, tokens);
    assert.deepEqual(suppressed, fixture.suppress_tokens);
    const has = new Set(suppressed);
    for (const text of [' -', " '", '♪', '♫']) assert.ok(has.has(fixture.encoded[text]![0]!), `first token of ${JSON.stringify(text)} is suppressed`);
    for (const [code, id] of tokens.languages) assert.ok(!has.has(id), `<|${code}|> stays allowed`);
    assert.ok(!has.has(tokens.eot) && !has.has(tokens.timestampBegin) && !has.has(tokens.noTimestamps));
  });
});
