// Step 4 of the pipeline, T2S: semantic tokens for the target from phones and the
// reference's semantic tokens, by mask-predict (maskgct_t2s.py `reverse_diffusion`).
import { maskPredict } from '../sampling/mask-predict.ts';
import type { Random } from '../sampling/random.ts';
import { topKCount } from '../sampling/top-k.ts';
import { MASKGCT } from '../settings.ts';
import type { MaskgctGraphs } from './graph-handles.ts';
import { guidedLogits, type Guidance } from './guided-logits.ts';
import type { StepLog } from './step-log.ts';
import { boolTensor, float32Tensor, int64Tensor } from '../../../core/onnx/tensors.ts';

export interface TextToSemanticInput {
  /** Reference phones then target phones. */
  readonly phoneIds: ArrayLike<number>;
  /** Semantic tokens of the reference. */
  readonly promptIds: ArrayLike<number>;
  /** Target length in frames (50 per second). */
  readonly targetFrames: number;
  readonly steps: number;
  /** Start of the annealed sampling temperature. */
  readonly temperature: number;
  readonly guidance?: Guidance;
  readonly random: Random;
}

export async function textToSemantic(
  graphs: Pick<MaskgctGraphs, 't2s_step' | 't2s_logits'>,
  input: TextToSemanticInput,
  run: { readonly log: StepLog; readonly signal: AbortSignal },
): Promise<Int32Array> {
  const { targetFrames: length } = input;
  const { semanticVocab: vocab, t2s } = MASKGCT;
  const fixedFeeds = {
    phone_ids: int64Tensor(input.phoneIds, [1, input.phoneIds.length]),
    prompt_ids: int64Tensor(input.promptIds, [1, input.promptIds.length]),
  };
  // Read back from the tensor the graph is given, so the route tests can compare what T2S
  // conditions on with Amphion's G2P (maskgct/test/fixtures/phone-ids.json).
  run.log.inputs('t2s', { phone_ids: Array.from(fixedFeeds.phone_ids.data as BigInt64Array, Number) });
  const { tokens, stepsRun } = await maskPredict({
    length,
    vocab,
    steps: input.steps,
    temperature: input.temperature,
    topK: topKCount(vocab, t2s.filterThreshold),
    random: input.random,
    signal: run.signal,
    predict: (state) =>
      run.log.step('t2s', { step: state.step + 1, of: state.steps, masked: countOnes(state.mask) }, () =>
        guidedLogits(
          { step: graphs.t2s_step, logits: graphs.t2s_logits },
          {
            step: {
              ...fixedFeeds,
              target_ids: int64Tensor(state.tokens, [1, length]),
              target_mask: boolTensor(state.mask, [1, length]),
              t: float32Tensor(Float32Array.of(state.t), [1]),
            },
          },
          input.guidance ?? t2s,
          run.signal,
        ),
      ),
  });
  run.log.stageDone('t2s', { steps: stepsRun, frames: length });
  return tokens;
}

export function countOnes(mask: Uint8Array): number {
  let n = 0;
  for (const v of mask) n += v;
  return n;
}
