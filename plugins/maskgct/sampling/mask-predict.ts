// The iterative mask-predict loop shared by T2S and every S2A layer (`reverse_diffusion` in
// maskgct_t2s.py and maskgct_s2a.py). The network is behind `predict`, so the loop is the
// same for every model and can be tested with a step function whose logits are known.
import { gumbelArgmax, gumbelNoise, softmaxAt } from './gumbel.ts';
import type { Random } from './random.ts';
import { confidence, selectRemasked } from './remask.ts';
import { annealedTemperature, maskedCount, timeGrid } from './schedule.ts';
import { topKCandidates } from './top-k.ts';

/** What the network sees at one step. Masked positions hold id 0, as the original's `seq`. */
export interface MaskPredictState {
  readonly step: number;
  readonly steps: number;
  /** Diffusion time, 1 at the first step, falling by 1/steps. */
  readonly t: number;
  readonly tokens: Int32Array;
  /** 1 where the token is still masked. */
  readonly mask: Uint8Array;
}

/** Guided logits for every position, row-major [length × vocab]. */
export type Predict = (state: MaskPredictState) => Promise<Float32Array>;

export interface StepReport {
  readonly step: number;
  readonly steps: number;
  readonly t: number;
  /** Positions fixed for good at this step (sampled and not re-masked). */
  readonly fixed: readonly number[];
  /** Positions still masked after this step. */
  readonly masked: number;
}

export interface MaskPredictOptions {
  readonly length: number;
  readonly vocab: number;
  readonly steps: number;
  /** Start of the sampling temperature; annealed as temperature·t. */
  readonly temperature: number;
  readonly topK: number;
  readonly random: Random;
  readonly predict: Predict;
  readonly onStep?: (report: StepReport) => void | Promise<void>;
  /** Checked before every network call: an abort stops the loop between steps. */
  readonly signal?: AbortSignal;
}

/** The original's temperature when a layer has a single step (`if steps == 1: temp = 0.2`). */
export const SINGLE_STEP_TEMPERATURE = 0.2;
/** Floor on the sampling temperature (`max(temp, 1e-3)`). */
const MIN_TEMPERATURE = 1e-3;
/**
 * Sampling runs on the event loop: top-k over 8192 ids is ~0.1 ms a position, so a 20 s
 * target (1000 positions) would hold the loop for 100+ ms a step. Yielding every 64
 * positions keeps health checks and other requests answered meanwhile.
 */
const POSITIONS_PER_SLICE = 64;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface MaskPredictResult {
  readonly tokens: Int32Array;
  /** Network calls made: fewer than `steps` when the schedule reaches zero masked early. */
  readonly stepsRun: number;
}

export async function maskPredict(options: MaskPredictOptions): Promise<MaskPredictResult> {
  const { length, vocab, steps, random } = options;
  const grid = timeGrid(steps);
  const tokens = new Int32Array(length);
  let mask: Uint8Array = new Uint8Array(length).fill(1);

  for (let step = 0; step < steps; step++) {
    options.signal?.throwIfAborted();
    const t = grid[step]!;
    const logits = await options.predict({ step, steps, t, tokens: tokens.slice(), mask: mask.slice() });
    if (logits.length !== length * vocab) throw new RangeError(`mask-predict: step ${step} returned ${logits.length} logits, expected ${length} × ${vocab}`);

    const isLast = step === steps - 1;
    const temperature = isLast && steps === 1 ? SINGLE_STEP_TEMPERATURE : Math.max(annealedTemperature(options.temperature, t), MIN_TEMPERATURE);
    const nextMasked = maskedCount(grid[step + 1]!, length);
    const confidences = new Float64Array(length);
    const sampled: number[] = [];
    for (let position = 0; position < length; position++) {
      if (!mask[position]) continue;
      if (sampled.length % POSITIONS_PER_SLICE === POSITIONS_PER_SLICE - 1) await yieldToEventLoop();
      const candidates = topKCandidates(logits.subarray(position * vocab, (position + 1) * vocab), options.topK);
      // the last step of a multi-step loop is greedy: candidates are sorted, so index 0
      const chosen = isLast && steps > 1 ? 0 : gumbelArgmax(candidates.logits, temperature, random);
      tokens[position] = candidates.ids[chosen]!;
      sampled.push(position);
      if (nextMasked > 0) confidences[position] = confidence(softmaxAt(candidates.logits, chosen), gumbelNoise(random.uniform()), t);
    }

    const nextMask = nextMasked > 0 ? selectRemasked(confidences, mask, nextMasked) : new Uint8Array(length);
    for (let position = 0; position < length; position++) if (nextMask[position]) tokens[position] = 0;
    await options.onStep?.({ step, steps, t, fixed: sampled.filter((p) => !nextMask[p]), masked: nextMasked });
    mask = nextMask;
    if (nextMasked === 0) return { tokens, stepsRun: step + 1 };
  }
  return { tokens, stepsRun: steps };
}
