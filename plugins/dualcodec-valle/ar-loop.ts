// The AR stage inside the ONNX worker that holds the Llama graph (GraphSession.loop): the K/V
// cache is made and kept here; only each sampled token crosses to the main thread. Sampling is
// transformers' generate(do_sample=True, temperature, top_k, top_p, repetition_penalty) as
// `LLM.inference` calls it, over the speech ids and EOS only (EXPORT.md "Differences").
import { generateTokens, type ArResult } from '../../core/generation/ar-driver.ts';
import { sampleToken } from '../../core/generation/samplers.ts';
import { defineWorkerLoop } from '../../core/onnx/worker-loop.ts';
import { llamaKvModel, streamTokens } from '../llama-ar/model.ts';

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

/**
 * The draw over EOS and the speech ids only, as a compact row [EOS, speech…] in the full
 * vocabulary's order (EOS = 2 comes before the speech ids), so that top-k, top-p and the
 * seeded draw give exactly what they give on the full row with every other id at −∞, on a
 * quarter of the entries (the text ids are 51866 of the 68260).
 */
export function speechOnly(speech: ArLoopInput['speech'], eos: number) {
  const size = speech.end - speech.first + 1;
  const toCompact = (id: number) => (id === eos ? 0 : id >= speech.first && id < speech.end ? id - speech.first + 1 : -1);
  return {
    row(logits: ArrayLike<number>): Float32Array {
      const row = new Float32Array(size);
      row[0] = logits[eos]!;
      for (let i = 1; i < size; i++) row[i] = logits[speech.first + i - 1]!;
      return row;
    },
    /** The history in compact ids (text ids have no logit here, so no penalty to apply). */
    history: (history: readonly number[]) => history.map(toCompact).filter((i) => i >= 0),
    id: (compact: number) => (compact === 0 ? eos : speech.first + compact - 1),
  };
}

export default defineWorkerLoop(async (io, input: ArLoopInput): Promise<ArResult> => {
  const llama = llamaKvModel(io, input.graph, input.cache);
  const draw = speechOnly(input.speech, input.eos);
  const result = await generateTokens(
    llama,
    input.prompt,
    // one token at least: an empty answer would leave the NAR stage nothing to render
    { ...input.sampling, maxNewTokens: input.maxNewTokens, minNewTokens: 1, stopTokens: [input.eos], seed: input.seed },
    {
      choose: (logits, history, random) => draw.id(sampleToken(draw.row(logits), draw.history(history), input.sampling, random)),
      ...streamTokens(io, input.maxNewTokens),
    },
  );
  io.throwIfCancelled();
  return result;
});
