// MaskGCT's recipe, rerun. 1. Every full-size network (w2v-BERT 2.0, semantic codec, acoustic
// codec, T2S, S2A), built on torch's meta device, has exactly the state-dict keys and shapes of
// the released checkpoints (manifest.json, written from the upstream code and configs). 2. The shrunk random-init modules export through
// every graph of the plugin's contract, and onnxruntime-node matches torch at lengths the
// export was not traced at (check-export.ts: floats within 1e-4, ids up to 1% near-ties).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { needTorch, PYTHON, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { graphs } from '../graphs.ts';

describe('maskgct export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it("builds every full-size network whose state dicts are the released checkpoints' keys and shapes", (t) => {
    if (!needTorch(t)) return;
    const run = spawnSync(PYTHON, ['plugins/maskgct/export/check_manifest.py'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /ok {3}t2s_model\/model\.safetensors: 191 tensors, 746\.4 M values/);
    assert.match(run.stdout, /ok {3}s2a_model\/s2a_model_1layer\/model\.safetensors: 193 tensors, 330\.3 M values/);
    assert.match(run.stdout, /ok {3}s2a_model\/s2a_model_full\/model\.safetensors: 226 tensors, 353\.4 M values/);
    assert.match(run.stdout, /ok {3}semantic_codec\/model\.safetensors: 239 tensors, 44\.3 M values/);
    assert.match(run.stdout, /ok {3}acoustic_codec\/model\.safetensors: 119 tensors, 42\.5 M values/);
    assert.match(run.stdout, /ok {3}acoustic_codec\/model_1\.safetensors: 363 tensors, 128\.2 M values/);
    assert.match(run.stdout, /ok {3}facebook\/w2v-bert-2\.0 model\.safetensors: 773 tensors, 580\.5 M values/);
  });

  it('exports every graph of the contract from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/maskgct/export/export_maskgct.py', ['--random', '--small', '--check']);
    for (const name of Object.keys(graphs)) assert.match(run.output, new RegExp(`ok {3}maskgct\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# maskgct: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
