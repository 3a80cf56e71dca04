// Vevo's recipe, rerun. 1. The full-size networks (on torch's meta device) have the parameter
// counts models.md gives. 2. The shrunk random-init modules (torchaudio's HuBERT class, the plain-torch
// tokenizers, Llama ARs with their K/V cache, FM DiffLlama, Vocos) export through every graph of
// the plugin's contract, and onnxruntime-node matches torch at lengths the export was not traced
// at — the TTS AR as a prefill on an empty cache, the VC AR as one cached step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { needTorch, PYTHON, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { graphs } from '../graphs.ts';

describe('vevo export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('builds every full-size network with the parameter counts of models.md §2', (t) => {
    if (!needTorch(t)) return;
    const run = spawnSync(PYTHON, ['plugins/vevo/export/check_sizes.py'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /ok {3}AR PhoneToVq8192 \(analytic\): 743\.3 M/);
    assert.match(run.stdout, /ok {3}FM Vq8192ToMels \(analytic\): 337\.7 M/);
    assert.match(run.stdout, /ok {3}Vocos vocoder \(counted\): 255\.0 M/);
  });

  it('exports every graph of the contract from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/vevo/export/export_vevo.py', ['--random', '--small', '--check']);
    for (const name of Object.keys(graphs)) assert.match(run.output, new RegExp(`ok {3}vevo\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.match(run.output, /ids: 0 of 17 ids differ from PyTorch/);
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# vevo: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
