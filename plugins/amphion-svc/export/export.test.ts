// The SVC family's recipe, rerun for each model: shrunk random-init networks with the
// contracts' tensor widths (condition encoder, DiffWaveNet/consistency denoisers, conformers,
// the VITS prior and its NSF-HiFiGAN decoder, ContentVec) export through every graph the plugin
// declares except the shared Whisper encoder, and onnxruntime-node matches torch at a length
// the export was not traced at.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { graphsFor } from '../graphs.ts';
import { VARIANTS } from '../variants.ts';

describe('amphion-svc export recipe (python3-torch)', { timeout: 600_000 }, () => {
  for (const variant of Object.values(VARIANTS)) {
    it(`exports ${variant.name}'s graphs from random-init modules, matching torch through the contracts`, async (t) => {
      if (!needTorch(t)) return;
      const run = await runRecipe('plugins/amphion-svc/export/export_svc.py', ['--variant', variant.name, '--random', '--small', '--check']);
      for (const name of Object.keys(graphsFor(variant)).filter((g) => g !== 'whisper_encoder')) {
        assert.match(run.output, new RegExp(`ok {3}${variant.name}\\.${name} \\(contract, run, PyTorch outputs\\)`), run.output);
      }
      assert.ok(worstDifference(run.output) <= 1e-4);
    });
  }
});
