// The AR stage of Vevo and VevoSing inside the ONNX worker that holds the Llama graph
// (GraphSession.loop): the K/V cache is made and kept here, only each sampled token crosses to
// the main thread. Sampling is transformers' generate(do_sample=True, temperature, top_k, top_p,
// min_new_tokens) as both ar_model.py files call it; HF max_length counts the prompt.
import { generateTokens, type ArResult } from '../../core/generation/ar-driver.ts';
import { kvCacheModel } from '../../core/generation/kv-cache-model.ts';
import { sampleToken } from '../../core/generation/samplers.ts';
import { defineWorkerLoop } from '../../core/onnx/worker-loop.ts';
import { outputOnly, type OutputRange } from './output-range.ts';

export interface ArLoopInput {
  readonly graph: string;
  readonly prompt: readonly number[];
  readonly layout: OutputRange;
  readonly cache: { readonly layers: number; readonly heads: number; readonly headDim: number };
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly minNewTokens: number;
  readonly maxNewTokens: number;
  readonly seed: number;
}

export default defineWorkerLoop(async (io, input: ArLoopInput): Promise<ArResult> => {
  const { layers, heads, headDim } = input.cache;
  const empty = () => io.tensor('float32', new Float32Array(0), [layers, 1, heads, 0, headDim]);
  // Llama: ids [1, n] + past K/V → logits [1, n, vocab] + present K/V (kept here)
  const llama = kvCacheModel(io, {
    graph: input.graph,
    tokens: 'input_ids',
    logits: 'logits',
    cache: { past_key: 'present_key', past_value: 'present_value' },
    initial: { past_key: empty(), past_value: empty() },
  });
  const settings = { temperature: input.temperature, topK: input.topK, topP: input.topP, repetitionPenalty: 1 };
  const result = await generateTokens(
    llama,
    input.prompt,
    { ...settings, maxNewTokens: input.maxNewTokens, minNewTokens: input.minNewTokens, stopTokens: [input.layout.outputEos], seed: input.seed },
    {
      choose: (logits, history, random) => sampleToken(outputOnly(logits, input.layout), history, settings, random),
      onToken: (token, i) => {
        io.emit(token);
        io.progress(i + 1, input.maxNewTokens);
      },
      cancelled: () => io.cancelled,
    },
  );
  // a cancelled request is an error to the caller, not a short answer
  io.throwIfCancelled();
  return result;
});
