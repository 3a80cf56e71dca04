#!/usr/bin/env python3
"""Writes plugins/whisper/fixtures/multilingual-suppress.json: the token ids openai/whisper
suppresses by default on its multilingual tokenizer, and the slice of that tokenizer needed to
encode every string the computation encodes.

  /usr/bin/python3 scripts/reference/whisper-suppress-tokens.py <openai/whisper checkout>

How the ids are derived (no tiktoken package on Debian, so its algorithm is written out):
- the vocabulary is whisper/assets/multilingual.tiktoken (base64 bytes, rank per line), the
  special tokens follow it in the order of tokenizer.py `get_encoding` (num_languages=99);
- tiktoken's byte-pair encoding: start from single bytes, repeatedly merge the adjacent pair
  whose concatenation has the lowest rank (leftmost first), until no pair is in the vocabulary.
  Every string encoded here is a symbol with an optional leading space, which the GPT-2
  split pattern ` ?[^\\s\\p{L}\\p{N}]+` keeps as one piece (asserted), so no split is needed;
- `Tokenizer.non_speech_tokens` (tokenizer.py) and `DecodingTask._get_suppress_tokens`
  (decoding.py, default suppress_tokens "-1") are followed line by line.

The slice: every vocabulary entry that is a byte substring of an encoded string (BPE only
ever builds substrings of its piece), as GPT-2 byte-level symbols, and the merges between
them in rank order, so a Hugging Face BPE tokenizer built from it encodes those strings to the
same ids as the full vocabulary does.
"""
import ast
import base64
import json
import os
import sys
import unicodedata

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "plugins", "whisper", "fixtures", "multilingual-suppress.json")


def languages(checkout):
    """LANGUAGES of whisper/tokenizer.py, read as data (the module imports tiktoken)."""
    tree = ast.parse(open(os.path.join(checkout, "whisper", "tokenizer.py")).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "LANGUAGES":
            return list(ast.literal_eval(node.value).keys())
    raise SystemExit("no LANGUAGES in tokenizer.py")


def byte_symbols():
    """GPT-2's bytes_to_unicode: the printable character standing for each byte."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def bpe(ranks, piece):
    parts = [bytes([b]) for b in piece]
    while len(parts) > 1:
        best = None
        for i in range(len(parts) - 1):
            rank = ranks.get(parts[i] + parts[i + 1])
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, i)
        if best is None:
            break
        i = best[1]
        parts[i:i + 2] = [parts[i] + parts[i + 1]]
    return [ranks[p] for p in parts]


def one_piece(text):
    """` ?[^\\s\\p{L}\\p{N}]+`: an optional space, then no letters, digits or spaces."""
    body = text[1:] if text.startswith(" ") else text
    return body and all(not c.isspace() and unicodedata.category(c)[0] not in "LN" for c in body)


def main():
    checkout = sys.argv[1]
    ranks = {}
    with open(os.path.join(checkout, "whisper", "assets", "multilingual.tiktoken")) as f:
        for line in f:
            if line.strip():
                token, rank = line.split()
                ranks[base64.b64decode(token)] = int(rank)
    specials = ["<|endoftext|>", "<|startoftranscript|>", *[f"<|{code}|>" for code in languages(checkout)[:99]],
                "<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nospeech|>", "<|notimestamps|>",
                *[f"<|{i * 0.02:.2f}|>" for i in range(1501)]]
    special = {name: len(ranks) + i for i, name in enumerate(specials)}

    encoded = {}

    def encode(text):
        assert one_piece(text), text
        encoded[text] = bpe(ranks, text.encode("utf-8"))
        return encoded[text]

    # tokenizer.py non_speech_tokens
    symbols = list('"#()*+/:;<=>@[\\]^_`{|}~「」『』')
    symbols += "<< >> <<< >>> -- --- -( -[ (' (\" (( )) ((( ))) [[ ]] {{ }} ♪♪ ♪♪♪".split()
    miscellaneous = set("♩♪♫♬♭♮♯")
    result = {encode(" -")[0], encode(" '")[0]}
    for symbol in symbols + sorted(miscellaneous):
        for tokens in [encode(symbol), encode(" " + symbol)]:
            if len(tokens) == 1 or symbol in miscellaneous:
                result.add(tokens[0])
    non_speech = sorted(result)
    # decoding.py _get_suppress_tokens with suppress_tokens="-1"
    suppress = sorted(set(non_speech + [special["<|transcribe|>"], special["<|translate|>"], special["<|startoftranscript|>"],
                                        special["<|startofprev|>"], special["<|startoflm|>"], special["<|nospeech|>"]]))

    table = byte_symbols()
    as_symbols = lambda b: "".join(table[x] for x in b)  # noqa: E731
    pieces = [text.encode("utf-8") for text in encoded]
    subset = {token: rank for token, rank in ranks.items() if any(token in piece for piece in pieces)}
    merges = []
    for token, rank in sorted(subset.items(), key=lambda kv: kv[1]):
        for cut in range(1, len(token)):
            if token[:cut] in subset and token[cut:] in subset:
                merges.append((rank, f"{as_symbols(token[:cut])} {as_symbols(token[cut:])}"))
    fixture = {
        "source": "openai/whisper whisper/assets/multilingual.tiktoken, tokenizer.py non_speech_tokens, decoding.py _get_suppress_tokens; "
                  "written by scripts/reference/whisper-suppress-tokens.py",
        "vocab": {as_symbols(token): rank for token, rank in sorted(subset.items(), key=lambda kv: kv[1])},
        "merges": [m for _, m in sorted(merges)],
        "specials": {name: special[name] for name in specials[:2 + 99 + 6] + ["<|0.00|>"]},
        "encoded": encoded,
        "non_speech_tokens": non_speech,
        "suppress_tokens": suppress,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, ensure_ascii=False, indent=1)
    print(f"wrote {os.path.normpath(OUT)}: {len(suppress)} suppressed ids, vocabulary slice of {len(subset)} tokens")


if __name__ == "__main__":
    main()
