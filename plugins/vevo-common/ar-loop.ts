// The AR stage of Vevo and VevoSing inside the ONNX worker that holds the Llama graph
// (GraphSession.loop): the K/V cache is made and kept here, only each sampled token crosses to
// the main thread. Sampling is transformers' generate(do_sample=True, temperature, top_k, top_p,
// min_new_tokens) as both ar_model.py files call it; HF max_length counts the prompt.
import { generateTokens, type ArResult } from '../../core/generation/ar-driver.ts';
import { sampleToken } from '../../core/generation/samplers.ts';
import { defineWorkerLoop } from '../../core/onnx/worker-loop.ts';
import { llamaKvModel, streamTokens } from '../llama-ar/model.ts';
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
  const llama = llamaKvModel(io, input.graph, input.cache);
  const settings = { temperature: input.temperature, topK: input.topK, topP: input.topP, repetitionPenalty: 1 };
  const result = await generateTokens(
    llama,
    input.prompt,
    { ...settings, maxNewTokens: input.maxNewTokens, minNewTokens: input.minNewTokens, stopTokens: [input.layout.outputEos], seed: input.seed },
    {
      choose: (logits, history, random) => sampleToken(outputOnly(logits, input.layout), history, settings, random),
      ...streamTokens(io, input.maxNewTokens),
    },
  );
  // a cancelled request is an error to the caller, not a short answer
  io.throwIfCancelled();
  return result;
});
