// MaskGCT's recipe, rerun. 1. The full-size T2S, S2A, semantic-codec and acoustic-codec modules, built on torch's meta device,
// have exactly the state-dict keys and shapes of the released checkpoints (manifest.json,
// written from Amphion's code and config). 2. The shrunk random-init modules export through
// every graph of the plugin's contract, and onnxruntime-node matches torch at lengths the
// export was not traced at (check-export.ts: floats within 1e-4, ids up to 1% near-ties).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { needTorch, PYTHON, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { graphs } from '../graphs.ts';

describe('maskgct export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it("builds full-size T2S, S2A, semantic and acoustic codecs whose state dicts are the released checkpoints' keys and shapes", (t) => {
    if (!needTorch(t)) return;
    const run = spawnSync(PYTHON, ['plugins/maskgct/export/check_manifest.py'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /ok {3}t2s_model\/model\.safetensors: 191 tensors, 746\.4 M values/);
    assert.match(run.stdout, /ok {3}s2a_model\/s2a_model_1layer\/model\.safetensors: 193 tensors, 330\.3 M values/);
    assert.match(run.stdout, /ok {3}s2a_model\/s2a_model_full\/model\.safetensors: 226 tensors, 353\.4 M values/);
    assert.match(run.stdout, /ok {3}semantic_codec\/model\.safetensors: 239 tensors, 44\.3 M values/);
    assert.match(run.stdout, /ok {3}acoustic_codec\/model\.safetensors: 119 tensors, 42\.5 M values/);
    assert.match(run.stdout, /ok {3}acoustic_codec\/model_1\.safetensors: 363 tensors, 128\.2 M values/);
  });

  it('exports every graph of the contract from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/maskgct/export/export_maskgct.py', ['--random', '--small', '--check']);
    for (const name of Object.keys(graphs)) assert.match(run.output, new RegExp(`ok {3}maskgct\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# maskgct: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
