// Metis' recipe, rerun: a shrunk random-init MetisStage1 (MaskGCT's T2S plus the fine-tuning
// adapter) exports through MaskGCT's own wrappers into both graphs of the plugin's contract,
// and onnxruntime-node matches torch with an empty prompt (the route's no-reference case) at
// lengths the export was not traced at.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { graphs } from '../graphs.ts';

describe('metis export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('exports every graph of the contract from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/metis/export/export_metis.py', ['--random', '--small', '--check']);
    for (const name of Object.keys(graphs)) assert.match(run.output, new RegExp(`ok {3}metis\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# metis: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
