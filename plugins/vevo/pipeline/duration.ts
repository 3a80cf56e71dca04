// vevo_utils.py `duration_reduction_func`: consecutive repeats of an n-gram collapse to one,
//   w = token_seq.unfold(0, n, 1); keep = all(w[1:] != w[:-1], dim=1)
//   reduced = cat(w[0, :n], w[1:, -1][keep])
// With n = 1 (Vevo's setting) this is run-length collapsing: 3 3 3 7 7 3 → 3 7 3.
export function reduceDurations(tokens: ArrayLike<number>, nGram = 1): number[] {
  const windows = tokens.length - nGram + 1;
  if (windows <= 0) return Array.from(tokens);
  const out = Array.from({ length: nGram }, (_, k) => tokens[k]!);
  for (let i = 1; i < windows; i++) {
    let allDiffer = true;
    for (let k = 0; k < nGram; k++) if (tokens[i + k] === tokens[i - 1 + k]) allDiffer = false;
    if (allDiffer) out.push(tokens[i + nGram - 1]!);
  }
  return out;
}
