// Noro's recipe, rerun: the plain-torch re-declaration of Amphion's Noro_VCmodel (reference
// encoder, content_f0_enc, DiffWaveNet), torchaudio's HuBERT-Base class with k-means snapping,
// and a 200x BigVGAN, random-init at the contract's widths with fewer layers, export through
// every graph of the contract, and onnxruntime-node matches torch at lengths the export was
// not traced at — the content graph against Amphion's cdist formulation of the snapping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { graphs } from '../graphs.ts';

describe('noro export recipe (python3-torch)', { timeout: 300_000 }, () => {
  it('exports every graph of the contract from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/noro/export/export_noro.py', ['--random', '--small', '--check']);
    for (const name of Object.keys(graphs)) assert.match(run.output, new RegExp(`ok {3}noro\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# noro: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
