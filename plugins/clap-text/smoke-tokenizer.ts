// A RoBERTa-shaped tokenizer for CLAP text towers in smoke mode, where the weight folder holds generated graphs
// and no tokenizer.json: <s> <pad> </s> <unk> at RoBERTa's ids 0–3, then the 256 byte-level
// symbols, no merges. Its ids are meaningless, like the smoke graphs' numbers, but every
// text encodes, lengths grow with the text, and truncation is exercised.

/** GPT-2's byte → printable character table (bytes_to_unicode), which RoBERTa shares. */
function byteSymbols(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let extra = 0;
  return [...Array(256).keys()].map((b) => (printable(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++)));
}

const SPECIALS = ['<s>', '<pad>', '</s>', '<unk>'];

export function smokeRobertaTokenizerJson(): object {
  const vocab: Record<string, number> = {};
  SPECIALS.forEach((token, id) => (vocab[token] = id));
  byteSymbols().forEach((symbol, i) => (vocab[symbol] = SPECIALS.length + i));
  return {
    version: '1.0',
    added_tokens: SPECIALS.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, vocab, merges: [] },
  };
}
