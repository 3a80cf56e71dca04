// Qwen3-TTS's two nested autoregressive loops (modeling_qwen3_tts.py
// Qwen3TTSTalkerForConditionalGeneration.forward inside transformers' generate), over any runner
// of the plugin's graphs: inside the ONNX worker (loop module generate-loop.ts; both KV caches
// stay there) or over plain onnxruntime sessions (the bench's bare loop). Per frame:
//   1. code 0 ~ talker logits (repetition penalty over earlier code 0s, specials ≥ 2048 suppressed
//      except EOS, EOS suppressed for the first min_new_tokens frames); EOS ends generation
//   2. code predictor prefill over [talker hidden, codec_embed(code 0)] → code 1 (lm_head[0])
//   3. 14 code-predictor steps: embed(code g) with table g → code g+1 (lm_head[g]); its cache is new each frame
//   4. next talker input = Σ of the 16 group embeddings + the next trailing text embedding (or tts_pad)
//   5. one talker step over its cache
import type { GraphRunner, RunnerTensor } from '../../core/generation/graph-runner.ts';
import { seededRandom } from '../../core/generation/rng.ts';
import { sampleToken, type SamplingSettings } from '../../core/generation/samplers.ts';
import type { TalkerPrompt } from './prompt.ts';
import { QWEN3 } from './variants.ts';

interface DecoderShape {
  readonly layers: number;
  readonly kvHeads: number;
  readonly headDim: number;
}

export interface FrameLoopInput {
  readonly shape: { readonly hidden: number; readonly talker: DecoderShape; readonly predictor: DecoderShape };
  readonly prompt: TalkerPrompt;
  /** The reference x-vector, [H] (clone modes). */
  readonly speaker?: Float32Array;
  /** The reference's codes, [frames, 16] row-major (ICL clone). */
  readonly referenceCodes?: Int32Array;
  readonly talkerSampling: SamplingSettings;
  readonly predictorSampling: SamplingSettings;
  readonly seed: number;
  readonly maxFrames: number;
  readonly minFrames: number;
}

export interface FrameLoopResult {
  /** Generated codes, [frames, 16] row-major (group 0 first). */
  readonly codes: Int32Array;
  readonly frames: number;
  readonly stop: 'eos' | 'max-frames' | 'cancelled';
}

export interface FrameLoopHooks {
  /** After each complete frame (its 16 codes). */
  onFrame?(codes: Int32Array, index: number): void;
}

const G = QWEN3.groups;
const floats = (t: RunnerTensor) => t.data as Float32Array;

/** Logits row for code 0: suppress_tokens [vocab − 1024, vocab) except EOS; EOS too before min_new_tokens. */
export function talkerRow(logits: ArrayLike<number>, frame: number, minFrames: number): Float32Array {
  const row = Float32Array.from(logits);
  for (let id = row.length - 1024; id < row.length; id++) if (id !== QWEN3.codec.eos) row[id] = -Infinity;
  if (frame < minFrames) row[QWEN3.codec.eos] = -Infinity;
  return row;
}

export async function generateFrames<T extends RunnerTensor>(runner: GraphRunner<T>, input: FrameLoopInput, hooks: FrameLoopHooks = {}): Promise<FrameLoopResult> {
  const frames: Int32Array[] = [];
  try {
    return finish(frames, await frameLoop(runner, input, hooks, frames));
  } catch (error) {
    if (error === CANCELLED) return finish(frames, 'cancelled');
    throw error;
  }
}

/** Thrown by a graph call asked for after the cancel: both loops end at their next call. */
const CANCELLED = new Error('frame loop cancelled');

/** The loop proper: fills `frames`, says why it stopped. */
async function frameLoop<T extends RunnerTensor>(outer: GraphRunner<T>, input: FrameLoopInput, hooks: FrameLoopHooks, frames: Int32Array[]): Promise<FrameLoopResult['stop']> {
  const runner: GraphRunner<T> = {
    run: (graph, feeds, fetches) => {
      if (outer.cancelled) throw CANCELLED;
      return outer.run(graph, feeds, fetches);
    },
    tensor: (type, data, dims) => outer.tensor(type, data, dims),
  };
  const H = input.shape.hidden;
  const { rows, trailing } = input.prompt;
  const f32 = (data: Float32Array, dims: readonly number[]) => runner.tensor('float32', data, dims);
  const i64 = (values: ArrayLike<number>) => runner.tensor('int64', BigInt64Array.from(Array.from(values), (v) => BigInt(v)), [1, values.length]);
  const empty = (d: DecoderShape) => f32(new Float32Array(0), [d.layers, 1, d.kvHeads, 0, d.headDim]);
  const embed = async (graph: 'text_embed' | 'codec_embed', name: string, ids: readonly number[]) => floats((await runner.run(graph, { [name]: i64(ids) } as Record<string, T>)).embeds!);
  const groupEmbed = async (codes: ArrayLike<number>, group: number) =>
    floats((await runner.run('code_predictor_embed', { codes: i64(codes), group: runner.tensor('int64', BigInt64Array.of(BigInt(group)), [1]) } as Record<string, T>)).embeds!);

  // 1. prefill embeddings: each row is the sum of what it names
  const prefill = new Float32Array(rows.length * H);
  const addAt = (row: number, values: Float32Array, offset = 0) => {
    for (let i = 0; i < H; i++) prefill[row * H + i]! += values[offset + i]!;
  };
  const textIds = [...rows.flatMap((r) => (r.text === undefined ? [] : [r.text])), ...trailing, QWEN3.text.ttsPad];
  const textEmbeds = await embed('text_embed', 'text_ids', textIds);
  const codecIds = rows.flatMap((r) => (r.codec === undefined ? [] : [r.codec]));
  const codecEmbeds = codecIds.length ? await embed('codec_embed', 'codec_ids', codecIds) : new Float32Array(0);
  const frameSums = input.referenceCodes ? await referenceFrameSums(input.referenceCodes) : new Float32Array(0);
  let t = 0;
  let c = 0;
  rows.forEach((row, i) => {
    if (row.text !== undefined) addAt(i, textEmbeds, H * t++);
    if (row.codec !== undefined) addAt(i, codecEmbeds, H * c++);
    if (row.speaker) addAt(i, input.speaker!);
    if (row.frame !== undefined) addAt(i, frameSums, H * row.frame);
  });
  const trailingEmbed = (frame: number) => textEmbeds.subarray(H * (t + Math.min(frame, trailing.length)), H * (t + Math.min(frame, trailing.length) + 1));

  /** Σ over the 16 groups of each reference frame: codec_embed for group 0, table g for group g. */
  async function referenceFrameSums(codes: Int32Array): Promise<Float32Array> {
    const frames = codes.length / G;
    const column = (g: number) => Array.from({ length: frames }, (_, f) => codes[f * G + g]!);
    const sums = Float32Array.from(await embed('codec_embed', 'codec_ids', column(0)));
    for (let g = 1; g < G; g++) {
      const e = await groupEmbed(column(g), g);
      for (let i = 0; i < sums.length; i++) sums[i]! += e[i]!;
    }
    return sums;
  }

  // 2. talker prefill
  let talker = await runner.run('talker', { embeds: f32(prefill, [1, rows.length, H]), past_k: empty(input.shape.talker), past_v: empty(input.shape.talker) } as Record<string, T>);
  const random = seededRandom(input.seed);
  const history: number[] = [];

  for (let f = 0; f < input.maxFrames; f++) {
    // 3. code 0 from the talker
    const code0 = sampleToken(talkerRow(floats(talker.logits!), f, input.minFrames), history, input.talkerSampling, random);
    if (code0 === QWEN3.codec.eos) return 'eos';
    history.push(code0);
    const codes = new Int32Array(G);
    codes[0] = code0;
    const next = Float32Array.from(await embed('codec_embed', 'codec_ids', [code0]));

    // 4. the code predictor: prefill [past_hidden, embed(code 0)], then one step per group
    const firstInput = new Float32Array(2 * H);
    firstInput.set(floats(talker.hidden!));
    firstInput.set(next, H);
    let predictor = await runner.run('code_predictor', {
      embeds: f32(firstInput, [1, 2, H]),
      step: runner.tensor('int64', BigInt64Array.of(0n), [1]),
      past_k: empty(input.shape.predictor),
      past_v: empty(input.shape.predictor),
    } as Record<string, T>);
    for (let g = 1; g < G; g++) {
      codes[g] = sampleToken(floats(predictor.logits!), [], input.predictorSampling, random);
      const e = await groupEmbed([codes[g]!], g);
      for (let i = 0; i < H; i++) next[i]! += e[i]!;
      if (g === G - 1) break;
      predictor = await runner.run('code_predictor', {
        embeds: f32(e, [1, 1, H]),
        step: runner.tensor('int64', BigInt64Array.of(BigInt(g)), [1]),
        past_k: predictor.present_k!,
        past_v: predictor.present_v!,
      } as Record<string, T>);
    }
    frames.push(codes);
    hooks.onFrame?.(codes, f);
    if (f + 1 === input.maxFrames) break;

    // 5. next talker input: Σ of the 16 group embeddings + trailing text (tts_pad once it is used up)
    const text = trailingEmbed(f);
    for (let i = 0; i < H; i++) next[i]! += text[i]!;
    talker = await runner.run('talker', { embeds: f32(next, [1, 1, H]), past_k: talker.present_k!, past_v: talker.present_v! } as Record<string, T>);
  }
  return 'max-frames';
}

function finish(frames: readonly Int32Array[], stop: FrameLoopResult['stop']): FrameLoopResult {
  const codes = new Int32Array(frames.length * G);
  frames.forEach((frame, i) => codes.set(frame, i * G));
  return { codes, frames: frames.length, stop };
}
