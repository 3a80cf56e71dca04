// The DDPM sampler against diffusers' DDPMScheduler.step written out in torch by
// scripts/reference/ddpm-fixtures.py: given model outputs and given noise, every step's
// sample must match within 1e-5.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { makeDdpmScheduler } from '../../core/generation/ddpm.ts';
import { SCALED_LINEAR_SCHEDULE } from '../../core/generation/noise-schedule.ts';
import { gaussianStream, seededRandom } from '../../core/generation/rng.ts';

interface Case {
  name: string;
  steps: number;
  predictionType: 'epsilon' | 'v_prediction';
  spacing: 'leading' | 'trailing';
  stepsOffset: number;
  clipSample: number | null;
  timesteps: number[];
  xT: number[];
  modelOutputs: number[][];
  noises: number[][];
  trace: number[][];
}

const { cases } = JSON.parse(readFileSync(new URL('./fixtures/ddpm.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe("DDPM sampler with diffusers' DDPMScheduler semantics", () => {
  for (const c of cases) {
    it(`${c.name}: timesteps and every step's sample match the reference`, () => {
      const noises = [...c.noises];
      const scheduler = makeDdpmScheduler(c.steps, { ...SCALED_LINEAR_SCHEDULE, predictionType: c.predictionType, stepsOffset: c.stepsOffset }, {
        spacing: c.spacing,
        clipSample: c.clipSample,
        noise: (n) => {
          const z = noises.shift();
          assert.ok(z && z.length === n, 'a noise draw per step with t > 0');
          return Float32Array.from(z);
        },
      });
      assert.deepEqual([...scheduler.timesteps], c.timesteps);
      let x: ArrayLike<number> = c.xT;
      for (const [i, t] of scheduler.timesteps.entries()) {
        x = scheduler.step(c.modelOutputs[i]!, t, x);
        for (let k = 0; k < x.length; k++) assert.ok(Math.abs(x[k]! - c.trace[i]![k]!) <= 1e-5, `step ${i} (t=${t}) [${k}]: ${x[k]} vs ${c.trace[i]![k]}`);
      }
      // The last step at t = 0 adds no noise, so one draw is left over exactly then.
      assert.equal(noises.length, c.timesteps.at(-1) === 0 ? 1 : 0);
    });
  }

  it('reproduces a trajectory from its seed, and another seed gives another', () => {
    const run = (seed: number) => {
      const scheduler = makeDdpmScheduler(20, { ...SCALED_LINEAR_SCHEDULE, predictionType: 'v_prediction', stepsOffset: 0 }, { spacing: 'leading', clipSample: null, noise: gaussianStream(seededRandom(seed)) });
      let x: Float32Array = new Float32Array(16).fill(0.5);
      for (const t of scheduler.timesteps) x = scheduler.step(x.map((v) => v * 0.1), t, x);
      return x;
    };
    assert.deepEqual(run(3), run(3));
    assert.notDeepEqual(run(3), run(4));
  });
});
