// The denoising loop against diffusers' formulas: the same loop module the hub runs in its
// worker, here over a plain onnxruntime session of a stand-in UNet with a known formula,
// must land on the latent torch computes (scripts/reference/audioldm-denoise-fixtures.py),
// batched (cond+uncond in one run) and as two runs alike.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import { bareLoopIO } from '../../test/support/bare-loop-io.ts';
import { denoise } from './denoise-loop.ts';
import { scheduleFrom } from '../mel-latent/schedule.ts';
import { standInUnetBytes } from './stand-in-unet.ts';
import { makeDdimScheduler } from '../../core/generation/ddim.ts';

interface Case {
  name: string;
  steps: number;
  guidance: number;
  betaStart: number;
  betaEnd: number;
  dims: number[];
  noise: number[];
  cond: number[];
  uncond: number[];
  timesteps: number[];
  latent: number[];
}

const { cases } = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'denoise-reference.json'), 'utf8')) as { cases: Case[] };

describe('AudioLDM denoising loop (DDIM + CFG 2.5) against torch', () => {
  let unet: ort.InferenceSession;
  before(async () => {
    unet = await ort.InferenceSession.create(standInUnetBytes());
  });

  for (const c of cases) {
    for (const batched of [true, false]) {
      it(`${c.name}, ${c.steps} steps, ${batched ? 'cond+uncond in one run' : 'two runs'}: the final latent within 1e-4`, async () => {
        const schedule = scheduleFrom({ beta_start: c.betaStart, beta_end: c.betaEnd });
        assert.deepEqual(makeDdimScheduler(c.steps, schedule).timesteps, c.timesteps);
        const cond = Float32Array.from(c.cond);
        const uncond = Float32Array.from(c.uncond);
        const both = new Float32Array(1024);
        both.set(uncond, 0);
        both.set(cond, 512);
        const io = bareLoopIO({ unet }, {
          both: { type: 'float32', data: both, dims: [2, 512] },
          cond: { type: 'float32', data: cond, dims: [1, 512] },
          uncond: { type: 'float32', data: uncond, dims: [1, 512] },
        });
        const latent = await denoise(io, { steps: c.steps, guidance: c.guidance, noise: Float32Array.from(c.noise), dims: c.dims, batched, schedule });
        let worst = 0;
        c.latent.forEach((v, i) => (worst = Math.max(worst, Math.abs(latent[i]! - v))));
        assert.ok(worst < 1e-4, `max |ts − torch| = ${worst}`);
        assert.deepEqual(io.ticks, Array.from({ length: c.steps }, (_, i) => i + 1));
      });
    }
  }

  it('swapping cond and uncond moves the result (the order is checked, not assumed)', async () => {
    const c = cases[0]!;
    const both = new Float32Array(1024);
    both.set(Float32Array.from(c.cond), 0);
    both.set(Float32Array.from(c.uncond), 512);
    const io = bareLoopIO({ unet }, { both: { type: 'float32', data: both, dims: [2, 512] } });
    const latent = await denoise(io, { steps: c.steps, guidance: c.guidance, noise: Float32Array.from(c.noise), dims: c.dims, batched: true });
    assert.ok(c.latent.some((v, i) => Math.abs(latent[i]! - v) > 1e-2));
  });

  it('stops before the next step once cancelled', async () => {
    const c = cases[0]!;
    const both = new Float32Array(1024);
    const io = bareLoopIO({ unet }, { both: { type: 'float32', data: both, dims: [2, 512] } });
    const originalProgress = io.progress;
    io.progress = (step, total) => {
      originalProgress(step, total);
      if (step === 3) io.cancel();
    };
    await assert.rejects(denoise(io, { steps: c.steps, guidance: 2.5, noise: Float32Array.from(c.noise), dims: c.dims, batched: true }), /cancelled/);
    assert.deepEqual(io.ticks, [1, 2, 3]);
  });
});
