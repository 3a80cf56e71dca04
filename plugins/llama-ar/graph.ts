// The AR Llama as our recipes export it (LlamaForCausalLM with one stacked K and one stacked V
// cache): its graph contract, and the model a worker loop decodes it with. Shared by every
// plugin whose AR stage is such a Llama.
import type { GraphContract, TensorContract } from '../../core/plugin/types.ts';

export interface LlamaShape {
  readonly layers: number;
  readonly heads: number;
  readonly headDim: number;
  /** Rows of the logits: the shared vocabulary. */
  readonly vocab: number;
}

/**
 * An AR Llama (LlamaForCausalLM) as one graph used for prefill (past = 0) and for every step
 * (tokens = 1): explicit past/present K/V, positions taken from the past length, no padding
 * mask (batch 1). Vevo's two ARs, VevoSing's and
 * DualCodec-VALL-E's have this shape (their recipes share one export of it).
 */
export function llamaArGraph(shape: LlamaShape, file: string, memoryMb: number, description: string) {
  const { layers, heads, headDim } = shape;
  const cache = (tensor: string, length: string): TensorContract => ({ name: tensor, type: 'float32', dims: [layers, 1, heads, length, headDim] });
  return {
    file,
    device: 'gpu',
    memoryMb,
    description,
    inputs: [
      { name: 'input_ids', type: 'int64', dims: [1, 'tokens'], description: 'ids in the shared vocab, at positions past … past+tokens−1' },
      { ...cache('past_key', 'past'), description: 'per-layer keys of the positions before (past = 0 for the prefill)' },
      { ...cache('past_value', 'past'), description: 'per-layer values' },
    ],
    outputs: [
      { name: 'logits', type: 'float32', dims: [1, 'tokens', shape.vocab] },
      cache('present_key', 'past+tokens'),
      cache('present_value', 'past+tokens'),
    ],
  } as const satisfies GraphContract;
}
