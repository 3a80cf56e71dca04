// DualCodec-VALL-E's recipe, rerun: shrunk random-init AR (Vevo's K/V-cache Llama) and NAR
// (MaskGCT's adaptive-norm Llama layer) modules export into both graphs of the plugin's
// contract, and onnxruntime-node matches torch at lengths the export was not traced at (an AR
// step on a 5-position cache, a NAR pass on 9 prompt and 6 target frames).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { graphs } from '../graphs.ts';

describe('dualcodec-valle export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('exports every graph of the contract from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/dualcodec-valle/export/export_dualcodec_valle.py', ['--random', '--small', '--check']);
    for (const name of Object.keys(graphs)) assert.match(run.output, new RegExp(`ok {3}dualcodec-valle\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# dualcodec-valle: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
