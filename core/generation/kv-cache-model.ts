// An ArModel over one decoder graph inside an ONNX worker: the cache outputs of each call
// become the cache inputs of the next, as onnxruntime tensors that never leave the worker.
// Only the last logits row is read; nothing crosses threads.
import type { TensorData } from '../onnx/graph-handle.ts';
import type { LoopIO, LoopTensor } from '../onnx/worker-loop.ts';
import type { ArModel } from './ar-driver.ts';

export interface KvCacheGraph {
  readonly graph: string;
  /** The int64 [1, n] token input. */
  readonly tokens: string;
  /** The float32 [1, n, vocab] logits output. */
  readonly logits: string;
  /** Cache input → the output that holds its next value (`past_k` → `present_k`). */
  readonly cache: Readonly<Record<string, string>>;
  /** The cache before the first call (empty, or a fixed-size zero buffer). */
  readonly initial: Readonly<Record<string, LoopTensor | TensorData>>;
  /** Further feeds per call, from the position of the first fed token (an offset, cross-attention K/V). */
  readonly extra?: (position: number, count: number) => Readonly<Record<string, LoopTensor | TensorData>>;
}

export function kvCacheModel(io: LoopIO, spec: KvCacheGraph): ArModel & { readonly position: number } {
  let cache: Record<string, LoopTensor | TensorData> = { ...spec.initial };
  let position = 0;
  const fetches = [spec.logits, ...Object.values(spec.cache)];
  return {
    get position() {
      return position;
    },
    async feed(tokens) {
      const ids = io.tensor('int64', BigInt64Array.from(tokens, (t) => BigInt(t)), [1, tokens.length]);
      const out = await io.run(spec.graph, { [spec.tokens]: ids, ...cache, ...(spec.extra?.(position, tokens.length) ?? {}) }, fetches);
      cache = Object.fromEntries(Object.entries(spec.cache).map(([input, output]) => [input, out[output]!]));
      position += tokens.length;
      const logits = out[spec.logits]!;
      const vocab = logits.dims.at(-1)!;
      const data = logits.data as Float32Array;
      return data.subarray(data.length - vocab);
    },
  };
}
