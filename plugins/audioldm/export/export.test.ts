// The export recipe, rerun: shrunk random-init copies of AudioLDM's four networks (plain
// torch re-declarations of the diffusers/transformers layouts) go through export_audioldm.py,
// each graph through the plugin's contract in onnxruntime-node, and its outputs against
// torch's at shapes it was not traced at (an odd latent length for the UNet's skip sizes,
// a padded row for the text tower), within 1e-4.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';

describe('audioldm export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('exports shrunk random text encoder, UNet, VAE decoder and vocoder that match torch through the contracts', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/audioldm/export/export_audioldm.py', ['--random', '--small', '--check']);
    for (const graph of ['text_encoder', 'unet', 'vae_decoder', 'vocoder']) assert.match(run.output, new RegExp(`ok   audioldm\\.${graph} \\(contract, run, PyTorch outputs\\)`));
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# audioldm: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
