// Samplers, schedulers and flow solvers against numbers computed in torch by
// scripts/reference/generation-fixtures.py (transformers / diffusers / VoxCPM / Amphion
// formulas written out there). The stand-in model and velocity field are the script's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { makeDdimScheduler, type DiffusionScheduler } from '../../core/generation/ddim.ts';
import { cfgZeroInitSteps, midpointSteps, solveFlowEuler, swaySteps } from '../../core/generation/flow-euler.ts';
import { cfgZeroStar, rescaledGuidance } from '../../core/generation/guidance.ts';
import { SCALED_LINEAR_SCHEDULE, alphasCumprod } from '../../core/generation/noise-schedule.ts';
import { makePndmScheduler } from '../../core/generation/pndm.ts';
import { seededRandom } from '../../core/generation/rng.ts';
import { drawFrom, processLogits, sampleToken, softmax, type SamplingSettings } from '../../core/generation/samplers.ts';

const reference = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8'));
const values = (list: (number | null)[]) => list.map((v) => (v === null ? -Infinity : v));

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (e === -Infinity) assert.equal(a, -Infinity, `${what}[${i}] should be filtered`);
    else assert.ok(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e)), `${what}[${i}]: ${a} vs ${e}`);
  }
}

describe('samplers with transformers semantics', () => {
  for (const [n, c] of (reference.samplers as { settings: SamplingSettings; logits: number[]; history: number[]; processed: (number | null)[]; uniforms: number[]; draws: number[] }[]).entries()) {
    it(`case ${n}: ${JSON.stringify(c.settings)} filters and draws as the reference`, () => {
      const processed = processLogits(c.logits, c.history, c.settings);
      assertClose(processed, values(c.processed), 1e-6, 'processed logits');
      const probs = softmax(processed);
      const draws = c.uniforms.map((u) => (c.settings.temperature ? drawFrom(probs, u) : sampleToken(c.logits, c.history, c.settings, () => u)));
      assert.deepEqual(draws, c.draws);
    });
  }

  it('reproduces a draw sequence from its seed, and another seed gives another', () => {
    const logits = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i));
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () => sampleToken(logits, [], { temperature: 1.5 }, random));
    };
    assert.deepEqual(run(5), run(5));
    assert.notDeepEqual(run(5), run(6));
  });
});

describe('diffusion schedulers with diffusers semantics', () => {
  it("computes AudioLDM's alphas_cumprod as torch does in float32", () => {
    const alphas = alphasCumprod(SCALED_LINEAR_SCHEDULE);
    for (const [i, v] of Object.entries(reference.noise.alphasCumprod as Record<string, number>)) assert.ok(Math.abs(alphas[Number(i)]! - v) < 1e-7, `alphas_cumprod[${i}]`);
  });

  const model = (x: ArrayLike<number>, t: number) => Float64Array.from(x, (v) => 0.3 * Math.sin(3 * v + t / 150) + 0.1 * v);
  const denoise = (scheduler: DiffusionScheduler, xT: number[]) => {
    let x: ArrayLike<number> = xT;
    const trace: Float32Array[] = [];
    for (const t of scheduler.timesteps) trace.push((x = scheduler.step(model(x, t), t, x)));
    return trace;
  };

  for (const [name, make, data] of [
    ['DDIM (epsilon)', () => makeDdimScheduler(10, SCALED_LINEAR_SCHEDULE), reference.ddim],
    ['DDIM (v-prediction)', () => makeDdimScheduler(8, { ...SCALED_LINEAR_SCHEDULE, predictionType: 'v_prediction' }), reference.ddimV],
    ['PNDM (PLMS, skip_prk_steps)', () => makePndmScheduler(10, SCALED_LINEAR_SCHEDULE), reference.pndm],
  ] as const) {
    it(`${name}: same timesteps and the same sample after every step`, () => {
      const scheduler = make();
      assert.deepEqual(scheduler.timesteps, data.timesteps);
      const trace = denoise(scheduler, data.xT);
      trace.forEach((x, i) => assertClose(x, data.trace[i], 2e-5, `${name} step ${i}`));
    });
  }
});

describe('flow-matching Euler with guidance', () => {
  const velocity = (x: ArrayLike<number>, t: number, cond: boolean) => Float64Array.from(x, (v) => Math.cos(2 * v + 3 * t) * (cond ? 1 : 0.4) - 0.5 * v + (cond ? 0.2 : -0.1));
  const { flow } = reference;

  it("Amphion's midpoint Euler with rescaled CFG (Vevo) lands where the reference does", async () => {
    const { steps, cfg, rescale, x1 } = flow.midpoint;
    const out = await solveFlowEuler(flow.x0, midpointSteps(steps), (x, t) => rescaledGuidance(velocity(x, t, true), velocity(x, t, false), cfg, rescale));
    assertClose(out, x1, 2e-5, 'x1');
  });

  it("VoxCPM's sway-sampled Euler with CFG-Zero* and zero-init steps lands where the reference does", async () => {
    const { steps, cfg, times, x1 } = flow.sway;
    const grid = swaySteps(steps, 1);
    assertClose(grid.map((s) => s.t), times.slice(0, -1), 1e-12, 'times');
    const out = await solveFlowEuler(flow.x0, grid, (x, t) => cfgZeroStar(velocity(x, t, true), velocity(x, t, false), cfg), { zeroInitSteps: cfgZeroInitSteps(steps) });
    assertClose(out, x1, 2e-5, 'x1');
  });
});
