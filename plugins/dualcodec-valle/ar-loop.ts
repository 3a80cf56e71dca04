// The AR stage inside the ONNX worker that holds the Llama graph (GraphSession.loop): the K/V
// cache is made and kept here; only each sampled token crosses to the main thread. Sampling is
// transformers' generate(do_sample=True, temperature, top_k, top_p, repetition_penalty) as
// `LLM.inference` calls it, over the speech ids and EOS only (EXPORT.md "Differences").
import { generateTokens, type ArResult } from '../../core/generation/ar-driver.ts';
import { kvCacheModel } from '../../core/generation/kv-cache-model.ts';
import { sampleToken } from '../../core/generation/samplers.ts';
import { defineWorkerLoop } from '../../core/onnx/worker-loop.ts';

export interface ArLoopInput {
  readonly graph: string;
  readonly prompt: readonly number[];
  readonly cache: { readonly layers: number; readonly heads: number; readonly headDim: number };
  /** Ids the model may emit: [first, end) and `eos`. */
  readonly speech: { readonly first: number; readonly end: number };
  readonly eos: number;
  readonly sampling: { readonly temperature: number; readonly topK: number; readonly topP: number; readonly repetitionPenalty: number };
  readonly maxNewTokens: number;
  readonly seed: number;
}

/** Logits with every id outside the speech range and EOS at −∞. */
export function speechOnly(logits: ArrayLike<number>, speech: ArLoopInput['speech'], eos: number): Float32Array {
  const row = new Float32Array(logits.length).fill(-Infinity);
  for (let id = speech.first; id < speech.end; id++) row[id] = logits[id]!;
  row[eos] = logits[eos]!;
  return row;
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
  const result = await generateTokens(
    llama,
    input.prompt,
    // one token at least: an empty answer would leave the NAR stage nothing to render
    { ...input.sampling, maxNewTokens: input.maxNewTokens, minNewTokens: 1, stopTokens: [input.eos], seed: input.seed },
    {
      choose: (logits, history, random) => sampleToken(speechOnly(logits, input.speech, input.eos), history, input.sampling, random),
      onToken: (token, i) => {
        io.emit(token);
        io.progress(i + 1, input.maxNewTokens);
      },
      cancelled: () => io.cancelled,
    },
  );
  io.throwIfCancelled();
  return result;
});
