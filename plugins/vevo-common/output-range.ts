// Which ids of an AR Llama's shared vocabulary the sampler may pick: the output tokens (ids
// 0 … outputVocab−1 in both Vevo's and VevoSing's layouts) and the output end-of-sequence id.
export interface OutputRange {
  readonly outputVocab: number;
  readonly outputEos: number;
}

/**
 * Logits with every id that is neither an output token nor out_eos at −∞. The FM stage can
 * only embed output ids (cond_emb has one row per output token); Amphion leaves the rest to
 * the trained model, which does not pick them.
 */
export function outputOnly(logits: ArrayLike<number>, range: OutputRange): Float32Array {
  const row = Float32Array.from(logits);
  for (let i = range.outputVocab; i < row.length; i++) if (i !== range.outputEos) row[i] = -Infinity;
  return row;
}
