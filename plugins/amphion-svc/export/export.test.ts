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
  it("exports every model's graphs from random-init modules, matching torch through the contracts", async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/amphion-svc/export/export_svc.py', ['--variant', 'all', '--random', '--small', '--check']);
    for (const variant of Object.values(VARIANTS)) {
      for (const name of Object.keys(graphsFor(variant)).filter((g) => g !== 'whisper_encoder')) {
        // ContentVec is one network for all four: compared with torch once, contract-checked in every folder
        const checked = name === 'contentvec' && variant.name !== 'multiplecontentssvc' ? '\\(contract\\)' : '\\(contract, run, PyTorch outputs\\)';
        assert.match(run.output, new RegExp(`ok {3}${variant.name}\\.${name} ${checked}`), run.output);
      }
    }
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# amphion-svc: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
