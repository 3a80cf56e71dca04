// The VP probability-flow ODE sampler against the same steps written in torch by
// scripts/reference/vp-ode-fixtures.py: given the network's x̂₀ at every step, every step's
// state must match within 1e-5 (relative to its size).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { cumulativeBeta, vpOdeEulerStep, vpOdeSteps, type VpSdeSchedule } from '../../core/generation/vp-ode.ts';

interface Case {
  schedule: VpSdeSchedule;
  steps: number;
  start: number[];
  predictions: number[][];
  states: number[][];
}

const { cases } = JSON.parse(readFileSync(new URL('./fixtures/vp-ode.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('VP probability-flow ODE sampler (x̂₀-predicting network, midpoint-time Euler)', () => {
  it('steps from t = 1 to 0 at the midpoints of N equal intervals', () => {
    assert.deepEqual(vpOdeSteps(4).map((s) => s.t), [0.875, 0.625, 0.375, 0.125]);
    assert.ok(vpOdeSteps(4).every((s) => s.h === 0.25));
    assert.equal(cumulativeBeta({ betaMin: 0.05, betaMax: 20, sigma: 1 }, 1), 0.05 + 0.5 * 19.95);
  });

  for (const [n, c] of cases.entries()) {
    it(`case ${n} (β ${c.schedule.betaMin}…${c.schedule.betaMax}, σ ${c.schedule.sigma}, ${c.steps} steps): every state matches torch`, () => {
      let x: Float32Array = Float32Array.from(c.start);
      for (const [i, step] of vpOdeSteps(c.steps).entries()) {
        x = vpOdeEulerStep(c.schedule, x, c.predictions[i]!, step);
        const want = c.states[i]!;
        for (let k = 0; k < want.length; k++) {
          assert.ok(Math.abs(x[k]! - want[k]!) <= 1e-5 * Math.max(1, Math.abs(want[k]!)), `step ${i} value ${k}: ${x[k]} vs ${want[k]}`);
        }
      }
    });
  }

  it('refuses a prediction of another size', () => {
    assert.throws(() => vpOdeEulerStep({ betaMin: 0.05, betaMax: 20, sigma: 1 }, new Float32Array(3), new Float32Array(2), { t: 0.5, h: 0.5 }), RangeError);
  });
});
