import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isHubError } from '../../core/errors.ts';
import { loadTokenizer } from '../../core/text/bpe-tokenizer.ts';
import { loadPhoneVocab } from '../../core/text/phone-vocab.ts';

// A small RoBERTa/GPT-2-style byte-level BPE: every byte symbol is in the vocabulary, plus
// a few merges, so the expected ids can be worked out by hand.
function byteSymbols(): string[] {
  const printable = [...Array(256).keys()].filter((b) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255));
  const symbols = new Map<number, string>(printable.map((b) => [b, String.fromCharCode(b)]));
  let next = 0;
  for (let b = 0; b < 256; b++) if (!symbols.has(b)) symbols.set(b, String.fromCharCode(256 + next++));
  return [...Array(256).keys()].map((b) => symbols.get(b)!);
}

function tinyByteLevelBpe(): object {
  const vocab: Record<string, number> = {};
  byteSymbols().forEach((s, i) => (vocab[s] = i));
  const merges = ['h e', 'l l', 'he ll', 'hell o', 'Ġ w', 'Ġw o', 'Ġwo r', 'Ġwor l', 'Ġworl d'];
  merges.forEach((m, i) => (vocab[m.replace(' ', '')] = 256 + i));
  return {
    version: '1.0',
    added_tokens: [{ id: 265, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, vocab: { ...vocab, '<|endoftext|>': 265 }, merges },
  };
}

describe('subword tokenizers from a local tokenizer.json', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokenizer-'));
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tinyByteLevelBpe()));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('encodes with the merges and decodes back to the text', async () => {
    const tokenizer = await loadTokenizer(join(dir, 'tokenizer.json'));
    const ids = tokenizer.encode('hello world');
    assert.deepEqual(ids, [259, 264]);
    assert.equal(tokenizer.decode(ids), 'hello world');
  });

  it('falls back to single bytes for text the merges do not cover', async () => {
    const tokenizer = await loadTokenizer(join(dir, 'tokenizer.json'));
    assert.deepEqual(tokenizer.encode('hi!'), [104, 105, 33]);
    assert.equal(tokenizer.decode(tokenizer.encode('héllo ✓')), 'héllo ✓');
  });

  it('knows special tokens and can skip them when decoding', async () => {
    const tokenizer = await loadTokenizer(join(dir, 'tokenizer.json'));
    assert.equal(tokenizer.tokenToId('<|endoftext|>'), 265);
    assert.equal(tokenizer.idToToken(259), 'hello');
    assert.equal(tokenizer.vocabSize, 266);
    assert.equal(tokenizer.decode([259, 265], { skipSpecialTokens: true }), 'hello');
  });

  it('answers a missing file with a 503 naming it', async () => {
    await assert.rejects(loadTokenizer(join(dir, 'nope.json')), (error: unknown) => isHubError(error) && error.status === 503 && /nope\.json/.test(error.message));
  });
});

describe('phone vocabularies from a weight folder', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vocab-'));
    await writeFile(join(dir, 'vocab.json'), JSON.stringify({ vocab: { ',': 0, _: 4, 'n': 45, 'i↑': 271 } }));
    await writeFile(join(dir, 'flat.json'), JSON.stringify({ a: 1, b: 2 }));
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ vocab: { a: 'one' } }));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads the nested and the flat layout', async () => {
    const nested = await loadPhoneVocab(join(dir, 'vocab.json'));
    assert.equal(nested.size, 4);
    assert.deepEqual(nested.ids(['n', 'i↑', 'x', '_']), { ids: [45, 271, 4], unknown: ['x'] });
    assert.equal((await loadPhoneVocab(join(dir, 'flat.json'))).id('b'), 2);
  });

  it('refuses a table whose ids are not integers', async () => {
    await assert.rejects(loadPhoneVocab(join(dir, 'bad.json')), /id of 'a' is not a non-negative integer/);
  });
});
