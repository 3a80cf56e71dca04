// VoxCPM's recipe, rerun: shrunk random-init modules of the published layouts (plain torch,
// the reference's parameter names) export to every graph of the plugin's contracts, and
// onnxruntime-node matches torch at lengths the export was not traced at (check-export.ts,
// 1e-4); the LMs' explicit KV cache (prefill + step) reproduces one causal pass; checkpoints
// laid out as the releases are load with strict names (VoxCPM-0.5B, VoxCPM2).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { needTorch, PYTHON, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { voxcpmGraphs } from '../graphs.ts';
import { VARIANTS } from '../variants.ts';

// audio_vae_v2.py's parameter names, as the reference builds them with the released defaults
// (depthwise: model.0–1 input convs, model.2–7 the six upsampling blocks; encoder block.4 is each
// block's strided conv). A rename here would make a real audiovae.pth fail to load.
const V2_VAE_NAMES = [
  'encoder.block.0.weight_g', 'encoder.block.4.block.4.weight_v', 'encoder.fc_mu.bias', 'encoder.fc_logvar.weight_g',
  'decoder.model.1.weight_v', 'decoder.model.2.block.1.weight_g', 'decoder.model.7.block.4.block.3.bias', 'decoder.model.9.weight_v',
  'decoder.sr_bin_boundaries', 'decoder.sr_cond_model.2.scale_embed.weight', 'decoder.sr_cond_model.7.bias_embed.weight',
];

describe('voxcpm export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('exports every graph of VoxCPM-0.5B (AudioVAE included) from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/voxcpm/export/export_voxcpm.py', ['--random', '--variant', '0.5B', '--small', '--check']);
    for (const name of Object.keys(voxcpmGraphs(VARIANTS['0.5B']))) assert.match(run.output, new RegExp(`ok {3}voxcpm-shrunk-0-5b\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.equal([...run.output.matchAll(/cache: prefill 5 \+ step 1 vs one pass of 6/g)].length, 2);
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# voxcpm 0.5B: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });

  it('exports every graph of VoxCPM2 (concatenating fusions, residual LM without RoPE, 2-token DiT condition, 16 kHz → 48 kHz sample-rate-conditioned AudioVAE)', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/voxcpm/export/export_voxcpm.py', ['--random', '--variant', '2', '--small', '--check']);
    for (const name of Object.keys(voxcpmGraphs(VARIANTS['2']))) assert.match(run.output, new RegExp(`ok {3}voxcpm-shrunk-2\\.${name} \\(contract, run, PyTorch outputs\\)`));
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

  it('reads a VoxCPM2 checkpoint (audio_vae_v2 names, int32 sample-rate buckets) with strict names, and exports its AudioVAE', async (t) => {
    if (!needTorch(t)) return;
    const folder = mkdtempSync(join(tmpdir(), 'voxcpm2-ckpt-'));
    try {
      const written = spawnSync(PYTHON, ['plugins/voxcpm/export/write_random_checkpoint.py', '--variant', '2', '--out', folder], { encoding: 'utf8' });
      assert.equal(written.status, 0, written.stdout + written.stderr);
      const listed = spawnSync(PYTHON, ['-c', 'import sys, torch; print("\\n".join(torch.load(sys.argv[1])["state_dict"]))', join(folder, 'audiovae.pth')], { encoding: 'utf8' });
      const names = new Set(listed.stdout.trim().split('\n'));
      for (const name of V2_VAE_NAMES) assert.ok(names.has(name), `audiovae.pth lacks ${name}`);
      const run = await runRecipe('plugins/voxcpm/export/export_voxcpm.py', ['--checkpoint', folder, '--variant', '2', '--check', '--contract', 'voxcpm/export/shrunk-2', '--only', 'vae_encoder', 'vae_decoder']);
      for (const name of ['vae_encoder', 'vae_decoder']) assert.match(run.output, new RegExp(`ok {3}voxcpm-shrunk-2\\.${name} \\(contract, run, PyTorch outputs\\)`));
      assert.ok(worstDifference(run.output) <= 1e-4);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
