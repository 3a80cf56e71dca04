// The nested loop of modeling_qwen3_tts.py (talker forward → code_predictor.generate → Σ of the
// 16 group embeddings + trailing text → next talker step), restated in plain arithmetic over
// the toy graphs' maths (toy-graphs.ts), greedy. Written from the reference, not from
// frame-loop.ts: the test holds the two against each other token by token.
import type { TalkerPrompt } from '../prompt.ts';
import { QWEN3 } from '../variants.ts';
import type { ToyWeights } from './toy-graphs.ts';

type Vec = number[];

const embedWith = (scale: Float32Array, shift: Float32Array, id: number, extra: Vec = []) => Array.from(scale, (s, j) => Math.sin(id * s + shift[j]! + (extra[j] ?? 0)));
const matVec = (x: Vec, w: Float32Array, cols: number, offset = 0) => Array.from({ length: cols }, (_, c) => x.reduce((sum, xi, r) => sum + xi * w[offset + r * cols + c]!, 0));
const add = (a: Vec, b: Vec) => a.map((v, i) => v + b[i]!);
const argmax = (v: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
};

/** A toy decoder with its cache: feeding rows returns the hidden state of the last one. */
function toyDecoder(w: { wx: Float32Array; wv: Float32Array }, H: number) {
  const keys: Vec[] = [];
  const vals: Vec[] = [];
  return (rows: Vec[]): Vec => {
    for (const x of rows) (keys.push(x), vals.push(matVec(x, w.wv, H)));
    const mean = (m: Vec[]) => Array.from({ length: H }, (_, j) => m.reduce((s, r) => s + r[j]!, 0) / m.length);
    const context = add(mean(vals), mean(keys).map((v) => v * 0.5));
    return add(matVec(rows.at(-1)!, w.wx, H), context).map(Math.tanh);
  };
}

export interface OracleInput {
  readonly prompt: TalkerPrompt;
  readonly speaker?: Vec;
  /** [frames][16] */
  readonly referenceCodes?: readonly (readonly number[])[];
  readonly maxFrames: number;
  readonly minFrames: number;
  readonly repetitionPenalty: number;
}

export function oracleFrames(w: ToyWeights, input: OracleInput): { frames: number[][]; stop: 'eos' | 'max-frames' } {
  const H = w.hidden;
  const text = (id: number) => embedWith(w.text.a, w.text.b, id);
  const codec = (id: number) => embedWith(w.codec.c, w.codec.d, id);
  const group = (code: number, g: number) => embedWith(w.group.e, w.group.g, code, Array.from(w.group.f, (f) => f * g));
  const frameSum = (codes: readonly number[]) => codes.reduce<Vec>((sum, code, g) => add(sum, g === 0 ? codec(code) : group(code, g)), new Array<number>(H).fill(0));

  // inputs_embeds of the prefill
  const rows = input.prompt.rows.map((row) => {
    let x: Vec = new Array<number>(H).fill(0);
    if (row.text !== undefined) x = add(x, text(row.text));
    if (row.codec !== undefined) x = add(x, codec(row.codec));
    if (row.speaker) x = add(x, input.speaker!);
    if (row.frame !== undefined) x = add(x, frameSum(input.referenceCodes![row.frame]!));
    return x;
  });
  const talker = toyDecoder(w.talker, H);
  const talkerLogits = (h: Vec) => add(matVec(h, w.talker.head, QWEN3.talkerVocab), Array.from(w.talker.bias));
  let hidden = talker(rows);
  let logits = talkerLogits(hidden);
  const history: number[] = [];
  const frames: number[][] = [];
  for (let step = 0; step < input.maxFrames; step++) {
    // logits processors: repetition penalty, suppress_tokens, min_new_tokens; then greedy
    const row = [...logits];
    for (const t of new Set(history)) row[t] = row[t]! < 0 ? row[t]! * input.repetitionPenalty : row[t]! / input.repetitionPenalty;
    for (let id = QWEN3.talkerVocab - 1024; id < QWEN3.talkerVocab; id++) if (id !== QWEN3.codec.eos) row[id] = -Infinity;
    if (step < input.minFrames) row[QWEN3.codec.eos] = -Infinity;
    const code0 = argmax(row);
    if (code0 === QWEN3.codec.eos) return { frames, stop: 'eos' };
    history.push(code0);
    // code_predictor.generate(inputs_embeds=[past_hidden, embed(code0)], max_new_tokens=15)
    const predictor = toyDecoder(w.predictor, H);
    const codes = [code0];
    let h = predictor([hidden, codec(code0)]);
    for (let g = 1; g < QWEN3.groups; g++) {
      codes.push(argmax(matVec(h, w.predictor.heads, QWEN3.codebook, (g - 1) * H * QWEN3.codebook)));
      if (g < QWEN3.groups - 1) h = predictor([group(codes[g]!, g)]);
    }
    frames.push(codes);
    if (step + 1 === input.maxFrames) break;
    // inputs_embeds = Σ codec_hiddens + trailing_text_hidden[step] (or tts_pad)
    const trailing = input.prompt.trailing[step] ?? QWEN3.text.ttsPad;
    hidden = talker([add(frameSum(codes), text(trailing))]);
    logits = talkerLogits(hidden);
  }
  return { frames, stop: 'max-frames' };
}
