// The shared mel-latent facts: latent sizes and crops as diffusers computes them, and the
// noise schedule read from a checkpoint's scheduler_config.json (or the plugin's default).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { latentShapeFor } from './layout.ts';
import { gaussianNoise } from './noise.ts';
import { AUDIOLDM_SCHEDULE, checkpointSchedule, scheduleFrom } from './schedule.ts';

describe('mel latent', () => {
  it('sizes the latent as int(s / 0.01) frames rounded up to a multiple of 4, and crops to int(s · 16000)', () => {
    assert.deepEqual(latentShapeFor(5), { melFrames: 500, dims: [1, 8, 125, 16], samples: 80000 });
    assert.deepEqual(latentShapeFor(1.01), { melFrames: 104, dims: [1, 8, 26, 16], samples: 16160 });
    assert.deepEqual(latentShapeFor(5.12), { melFrames: 512, dims: [1, 8, 128, 16], samples: 81920 });
  });

  it('draws standard normal noise, the same for the same seed', () => {
    const a = gaussianNoise(7, 20001);
    assert.deepEqual(a, gaussianNoise(7, 20001));
    assert.notDeepEqual(a.subarray(0, 8), gaussianNoise(8, 8));
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
    assert.ok(Math.abs(mean) < 0.03 && Math.abs(variance - 1) < 0.05, `mean ${mean}, variance ${variance}`);
  });

  it('reads the checkpoint scheduler config when the weight folder has one, else keeps the default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mel-latent-'));
    assert.equal(await checkpointSchedule(dir), AUDIOLDM_SCHEDULE);
    const withConfig = mkdtempSync(join(tmpdir(), 'mel-latent-'));
    writeFileSync(join(withConfig, 'scheduler_config.json'), JSON.stringify({ beta_start: 0.0015, beta_end: 0.0195, beta_schedule: 'scaled_linear', steps_offset: 0 }));
    assert.deepEqual(await checkpointSchedule(withConfig), { ...AUDIOLDM_SCHEDULE, betaStart: 0.0015, betaEnd: 0.0195, stepsOffset: 0 });
    assert.throws(() => scheduleFrom({ beta_schedule: 'squaredcos_cap_v2' }), /beta_schedule 'squaredcos_cap_v2' is not supported/);
  });
});
