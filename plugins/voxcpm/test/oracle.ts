// The oracle: voxcpm.py `_inference` and unified_cfm.py `solve_euler` restated in plain
// arithmetic over the toy networks of toy-graphs.ts, in float64, written from the reference
// and not from patch-loop.ts (its own time grid, guidance and Euler step, the reference's
// loop order). Noise comes from the same seeded source, so outputs agree to float32 rounding.
import { seededRandom } from '../../../core/generation/rng.ts';
import { gaussianNoise } from '../gaussian.ts';
import type { Matrix, ToyWeights } from './toy-graphs.ts';

type Vec = number[];

const times = (x: Vec, m: Matrix): Vec => Array.from({ length: m.cols }, (_, j) => x.reduce((s, xi, i) => s + xi * m.values[i * m.cols + j]!, 0));
const add = (...vs: Vec[]): Vec => vs[0]!.map((_, i) => vs.reduce((s, v) => s + v[i]!, 0));
const scale = (v: Vec, s: number): Vec => v.map((x) => x * s);
const mean = (rows: Vec[]): Vec => rows[0]!.map((_, i) => rows.reduce((s, r) => s + r[i]!, 0) / rows.length);
/** torch.round: halves to even. */
const roundHalfEven = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** A toy MiniCPM with its own cache: each call appends, then every new position reads the whole cache. */
function toyLm(w: { wx: Matrix; wv: Matrix }) {
  const keys: Vec[] = [];
  const values: Vec[] = [];
  return (xs: Vec[]): Vec[] => {
    for (const x of xs) (keys.push(x), values.push(times(x, w.wv)));
    const context = add(mean(values), scale(mean(keys), 0.5));
    return xs.map((x) => add(times(x, w.wx), context).map(Math.tanh));
  };
}

export interface OracleInput {
  readonly textIds: readonly number[];
  /** [patches][P][D] */
  readonly prompt: readonly (readonly (readonly number[])[])[];
  readonly steps: number;
  readonly cfg: number;
  readonly seed: number;
  readonly minLen: number;
  readonly maxLen: number;
}

export function oracleInference(w: ToyWeights, input: OracleInput): { patches: number[][][]; stopped: boolean } {
  const { latentDim: D, patchSize: P } = w.sizes;
  const fsq = (x: Vec) => times(times(x, w.fsqIn).map((v) => roundHalfEven(Math.tanh(v) * 9) / 9), w.fsqOut);
  const featEncoder = (patch: readonly (readonly number[])[]) => times(mean(patch.map((r) => [...r])), w.locEnc).map(Math.tanh);
  const stopHead = (lm: Vec) => add(times(lm, w.stop), [...w.stopBias.values]);
  const estimator = (x: Vec[], mu: Vec, t: number, cond: Vec[], dt: number): Vec[] =>
    // x, cond: [D][P]; out [D][P]
    Array.from({ length: D }, (_, c) =>
      Array.from({ length: P }, (_, p) => {
        let s = times(x.map((row) => row[p]!), w.ditX)[c]! + times(mu, w.ditMu)[c]! + t * w.ditT.values[c]! + dt * w.ditDt.values[c]! + 0.5 * cond[c]![p]!;
        return Math.tanh(s);
      }),
    );
  const baseLm = toyLm(w.base);
  const residualLm = toyLm(w.residual);

  // text_embed · scale_emb at text positions, feat_encoder at audio positions
  const textLen = input.textIds.length;
  const combined: Vec[] = [...input.textIds.map((id) => scale([...w.embed.values.subarray(id * w.sizes.hidden, (id + 1) * w.sizes.hidden)], w.scale)), ...input.prompt.map(featEncoder)];
  const featEmbed: Vec[] = combined.map((row, i) => (i < textLen ? row.map(() => 0) : row));
  let enc = baseLm(combined);
  enc = enc.map((row, i) => (i < textLen ? row : fsq(row)));
  let lmHidden = enc.at(-1)!;
  let residualHidden = residualLm(enc.map((row, i) => add(row, featEmbed[i]!))).at(-1)!;
  const last = input.prompt.at(-1);
  // cond [D][P]: the prompt's last patch transposed, or zeros
  let cond: Vec[] = Array.from({ length: D }, (_, c) => Array.from({ length: P }, (_, p) => (last ? last[p]![c]! : 0)));

  const random = seededRandom(input.seed);
  const tSpan = Array.from({ length: input.steps + 1 }, (_, i) => 1 - i / input.steps).map((t) => t + (Math.cos((Math.PI / 2) * t) - 1 + t));
  const zeroInit = Math.max(1, Math.trunc((input.steps + 1) * 0.04));
  const patches: number[][][] = [];
  for (let i = 0; i < input.maxLen; i++) {
    const mu = add(times(lmHidden, w.lmToMu), times(residualHidden, w.resToMu));
    // solve_euler
    const z = gaussianNoise(random, D * P);
    let x: Vec[] = Array.from({ length: D }, (_, c) => Array.from({ length: P }, (_, p) => z[c * P + p]!));
    let t = tSpan[0]!;
    let dt = tSpan[0]! - tSpan[1]!;
    for (let step = 1; step <= input.steps; step++) {
      let dphi: Vec[];
      if (step <= zeroInit) dphi = x.map((r) => r.map(() => 0));
      else {
        const positive = estimator(x, mu, t, cond, 0).flat();
        const negative = estimator(x, mu.map(() => 0), t, cond, 0).flat();
        const dot = positive.reduce((s, v, k) => s + v * negative[k]!, 0);
        const norm = negative.reduce((s, v) => s + v * v, 0) + 1e-8;
        const star = dot / norm;
        const guided = positive.map((v, k) => negative[k]! * star + input.cfg * (v - negative[k]! * star));
        dphi = x.map((r, c) => r.map((_, p) => guided[c * P + p]!));
      }
      x = x.map((r, c) => r.map((v, p) => v - dt * dphi[c]![p]!));
      t = t - dt;
      if (step < input.steps) dt = t - tSpan[step + 1]!;
    }
    const patch = Array.from({ length: P }, (_, p) => Array.from({ length: D }, (_, c) => x[c]![p]!)); // [P][D]
    const currEmbed = featEncoder(patch);
    patches.push(patch);
    cond = x;
    const logits = stopHead(lmHidden);
    if (i > input.minLen && logits[1]! > logits[0]!) return { patches, stopped: true };
    lmHidden = fsq(baseLm([currEmbed])[0]!);
    residualHidden = residualLm([add(lmHidden, currEmbed)])[0]!;
  }
  return { patches, stopped: false };
}
