// VoxCPM's recipe, rerun: shrunk random-init modules of the published layouts (plain torch,
// the reference's parameter names) export to every graph of the plugin's contracts, and
// onnxruntime-node matches torch at lengths the export was not traced at (check-export.ts,
// 1e-4); the LMs' explicit KV cache (prefill + step) reproduces one causal pass.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { needTorch, PYTHON, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { voxcpmGraphs } from '../graphs.ts';
import { VARIANTS } from '../variants.ts';

const LOOP_GRAPHS = ['text_embed', 'loc_enc', 'base_lm', 'fsq', 'residual_lm', 'dit_condition', 'loc_dit', 'stop_head'];

describe('voxcpm export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('exports every graph of VoxCPM-0.5B (AudioVAE included) from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/voxcpm/export/export_voxcpm.py', ['--random', '--variant', '0.5B', '--small', '--check']);
    for (const name of Object.keys(voxcpmGraphs(VARIANTS['0.5B']))) assert.match(run.output, new RegExp(`ok {3}voxcpm-shrunk-0-5b\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.equal([...run.output.matchAll(/cache: prefill 5 \+ step 1 vs one pass of 6/g)].length, 2);
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# voxcpm 0.5B: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });

  it('exports the loop graphs of VoxCPM2 (concatenating fusions, residual LM without RoPE, 2-token DiT condition)', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/voxcpm/export/export_voxcpm.py', ['--random', '--variant', '2', '--small', '--check']);
    for (const name of LOOP_GRAPHS) assert.match(run.output, new RegExp(`ok {3}voxcpm-shrunk-2\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# voxcpm 2: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });

  it('reads a checkpoint laid out as the releases are (bfloat16 weights, weight-norm AudioVAE) with strict names, and exports it', async (t) => {
    if (!needTorch(t)) return;
    const folder = mkdtempSync(join(tmpdir(), 'voxcpm-ckpt-'));
    try {
      const written = spawnSync(PYTHON, ['plugins/voxcpm/export/write_random_checkpoint.py', '--out', folder], { encoding: 'utf8' });
      assert.equal(written.status, 0, written.stdout + written.stderr);
      const run = await runRecipe('plugins/voxcpm/export/export_voxcpm.py', ['--checkpoint', folder, '--variant', '0.5B', '--check', '--contract', 'voxcpm/export/shrunk-0.5B']);
      for (const name of Object.keys(voxcpmGraphs(VARIANTS['0.5B']))) assert.match(run.output, new RegExp(`ok {3}voxcpm-shrunk-0-5b\\.${name} \\(contract, run, PyTorch outputs\\)`));
      assert.ok(worstDifference(run.output) <= 1e-4);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
