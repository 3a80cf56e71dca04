// The AR Llama of graph.ts inside a worker loop: the stacked K/V cache made and kept next to the
// session, and the per-token callbacks every such loop gives the AR driver (the token streamed
// to the caller, progress, cancel).
import type { ArModel } from '../../core/generation/ar-driver.ts';
import { kvCacheModel } from '../../core/generation/kv-cache-model.ts';
import type { LoopIO } from '../../core/onnx/worker-loop.ts';
import type { LlamaShape } from './graph.ts';

/** ids [1, n] + past K/V → logits [1, n, vocab] + present K/V, the cache starting empty. */
export function llamaKvModel(io: LoopIO, graph: string, shape: Pick<LlamaShape, 'layers' | 'heads' | 'headDim'>): ArModel {
  const { layers, heads, headDim } = shape;
  const empty = () => io.tensor('float32', new Float32Array(0), [layers, 1, heads, 0, headDim]);
  return kvCacheModel(io, {
    graph,
    tokens: 'input_ids',
    logits: 'logits',
    cache: { past_key: 'present_key', past_value: 'present_value' },
    initial: { past_key: empty(), past_value: empty() },
  });
}

/** Each sampled token to the caller as it comes, with progress against `maxNewTokens`; the loop's cancel. */
export function streamTokens(io: LoopIO, maxNewTokens: number) {
  return {
    onToken: (token: number, i: number) => {
      io.emit(token);
      io.progress(i + 1, maxNewTokens);
    },
    cancelled: () => io.cancelled,
  };
}
