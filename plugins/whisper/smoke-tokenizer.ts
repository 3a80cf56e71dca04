// A Whisper-shaped tokenizer for smoke mode, where the weight folder holds generated graphs
// and no tokenizer.json: byte-level BPE with the 256 byte symbols, filler tokens up to
// <|endoftext|>, then the specials and timestamps in Whisper's order, so ids line up with
// the decoder's logits. Its text is meaningless, like the smoke graphs' numbers.
import { WHISPER_LANGUAGES } from './languages.ts';

/** GPT-2's byte → printable character table (bytes_to_unicode). */
export function byteSymbols(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let extra = 0;
  return [...Array(256).keys()].map((b) => (printable(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++)));
}

export function smokeTokenizerJson(vocabSize: number, options: { multilingual: boolean } = { multilingual: true }): object {
  const vocab: Record<string, number> = {};
  const bytes = byteSymbols();
  bytes.forEach((symbol, id) => (vocab[symbol] = id));
  const letters = bytes.slice(97, 123); // a-z
  const specials = [
    '<|endoftext|>',
    '<|startoftranscript|>',
    ...(options.multilingual ? WHISPER_LANGUAGES.slice(0, 99).map(([code]) => `<|${code}|>`) : []),
    '<|translate|>', '<|transcribe|>', '<|startoflm|>', '<|startofprev|>', '<|nospeech|>', '<|notimestamps|>',
  ];
  const timestamps = [...Array(1501).keys()].map((i) => `<|${(i * 0.02).toFixed(2)}|>`);
  const eot = vocabSize - specials.length - timestamps.length;
  // Fillers: "Ġ" + three letters, unique, decodable (a space and a made-up syllable).
  for (let id = 256, n = 0; id < eot; id++, n++) {
    vocab[`Ġ${letters[Math.floor(n / 676) % 26]}${letters[Math.floor(n / 26) % 26]}${letters[n % 26]}${n >= 17576 ? Math.floor(n / 17576) : ''}`] = id;
  }
  const added = [...specials, ...timestamps].map((content, i) => ({ id: eot + i, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  for (const token of added) vocab[token.content] = token.id;
  return {
    version: '1.0',
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, vocab, merges: [] },
  };
}
