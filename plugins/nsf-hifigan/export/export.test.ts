// NSF-HiFiGAN's recipe, rerun: a shrunk random-init generator (Amphion's source branch and the
// NSF design) exports through the plugin's contract and matches torch in onnxruntime-node at a
// length it was not traced at; the TypeScript excitation matches torch's SineGen value for value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';

describe('nsf_hifigan export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('exports a shrunk random generator matching torch through the contract, and excitation.ts matches SineGen', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/nsf-hifigan/export/export_nsf_hifigan.py', ['--random', '--small', '--check', '--sine-check']);
    assert.match(run.output, /ok {3}nsf_hifigan\.generator \(contract, run, PyTorch outputs\)/);
    const sine = /sine: .* max \|ts - torch\| = ([0-9.e+-]+)/.exec(run.output);
    assert.ok(sine && Number(sine[1]) <= 1e-4, run.output);
    assert.ok(worstDifference(run.output) <= 1e-4);
  });

  it('exports the NSF-design source branch (--nsf-source) through the same contract', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/nsf-hifigan/export/export_nsf_hifigan.py', ['--random', '--small', '--check', '--nsf-source']);
    assert.match(run.output, /ok {3}nsf_hifigan\.generator \(contract, run, PyTorch outputs\)/);
    assert.ok(worstDifference(run.output) <= 1e-4);
  });
});
