// The export recipe, rerun: a shrunk random-init FACodec goes through export_facodec.py, both
// graphs through the plugin's contracts in onnxruntime-node, and their outputs against
// torch's at a length they were not traced at (check-export.ts: floats within 1e-4, ids
// equal up to 1% near-ties). The timbre encoder is called as Amphion's FACodecDecoder calls
// its TransformerEncoder (x, key_padding_mask, condition), which the modules require.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';

describe('facodec export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('exports a shrunk random codec whose encoder and decoder match torch through the contracts', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/facodec/export/export_facodec.py', ['--random', '--small', '--check']);
    assert.match(run.output, /ok {3}facodec\.encoder \(contract, run, PyTorch outputs\)/);
    assert.match(run.output, /ok {3}facodec\.decoder \(contract, run, PyTorch outputs\)/);
    assert.match(run.output, /speaker_embedding: max \|onnx - torch\|/);
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# facodec: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
