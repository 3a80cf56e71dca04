// Noro's recipe, rerun: the plain-torch re-declaration of Amphion's Noro_VCmodel (reference
// encoder, content_f0_enc, DiffWaveNet), torchaudio's HuBERT-Base class with k-means snapping,
// and a 200x BigVGAN, random-init at the contract's widths with fewer layers, export through
// every graph of the contract, and onnxruntime-node matches torch at lengths the export was
// not traced at — the content graph against Amphion's cdist formulation of the snapping.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { needTorch, PYTHON, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { graphs } from '../graphs.ts';

describe('noro export recipe (python3-torch)', { timeout: 300_000 }, () => {
  it('exports every graph of the contract from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/noro/export/export.py', ['--random', '--small', '--check']);
    for (const name of Object.keys(graphs)) assert.match(run.output, new RegExp(`ok {3}noro\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# noro: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});

describe('noro export recipe: the checkpoint folder', () => {
  it('names what a --checkpoint folder lacks before loading anything', (t) => {
    if (!needTorch(t)) return;
    const folder = mkdtempSync(join(tmpdir(), 'noro-ckpt-'));
    try {
      writeFileSync(join(folder, 'model.safetensors'), '');
      const run = spawnSync(PYTHON, ['plugins/noro/export/export.py', '--checkpoint', folder, '--out', join(folder, 'out')], { encoding: 'utf8' });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /must hold exactly one mHuBERT checkpoint \(\.pt\); found none/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
