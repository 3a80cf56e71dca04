// The export recipe, rerun: shrunk random-init copies of PicoAudio's CLAP text branch and its
// timestamp-conditioned UNet (cross-attention, linear projections, the matrix folded in as two
// channels) go through export_picoaudio.py, each graph through the plugin's contract in
// onnxruntime-node, and its outputs against torch's at a batch it was not traced at, within 1e-4.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';

describe('picoaudio export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('exports a shrunk random text encoder and UNet that match torch through the contracts', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/picoaudio/export/export_picoaudio.py', ['--random', '--check']);
    for (const graph of ['text_encoder', 'unet']) assert.match(run.output, new RegExp(`ok   picoaudio\\.${graph} \\(contract, run, PyTorch outputs\\)`));
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# picoaudio: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
