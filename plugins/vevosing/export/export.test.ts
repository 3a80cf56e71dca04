// VevoSing's recipe, rerun. 1. The full-size networks (on torch's meta device) have the parameter
// counts models.md gives. 2. The shrunk random-init modules (plain-torch Whisper encoder, Coco
// tokenizers, Llama AR with its K/V cache, FM DiffLlama with ×4 resampling, Vocos) export through
// every graph of the plugin's contract, and onnxruntime-node matches torch at lengths the export
// was not traced at — the AR as one cached step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { needTorch, PYTHON, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { graphs } from '../graphs.ts';

describe('vevosing export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('builds every full-size network with the parameter counts of models.md §3 and §A8', (t) => {
    if (!needTorch(t)) return;
    const run = spawnSync(PYTHON, ['plugins/vevosing/export/check_sizes.py'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /ok {3}Coco content-style tokenizer \(counted\): 38\.0 M/);
    assert.match(run.stdout, /ok {3}Coco prosody tokenizer \(counted\): 44\.2 M/);
    assert.match(run.stdout, /ok {3}AR singnet7k \(analytic\): 776\.7 M/);
    assert.match(run.stdout, /ok {3}FM with resampling \(analytic\): 354\.5 M/);
  });

  it('exports every graph of the contract from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/vevosing/export/export_vevosing.py', ['--random', '--small', '--check']);
    for (const name of Object.keys(graphs)) assert.match(run.output, new RegExp(`ok {3}vevosing\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.match(run.output, /ids: 0 of 5 ids differ from PyTorch/);
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# vevosing: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
