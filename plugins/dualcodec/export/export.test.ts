// The export recipe, rerun: a shrunk random-init DualCodec of each variant goes through
// export_dualcodec.py, both graphs through the plugin's contracts in onnxruntime-node, and
// their outputs against torch's at a length they were not traced at (check-export.ts:
// floats within 1e-4, at most 1% of ids differing on near-ties).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';

describe('dualcodec export recipe (python3-torch)', { timeout: 600_000 }, () => {
  for (const [variant, plugin] of [['12hz', 'dualcodec'], ['25hz', 'dualcodec-25hz']] as const) {
    it(`exports a shrunk random ${variant} codec whose encoder and decoder match torch through the contracts`, async (t) => {
      if (!needTorch(t)) return;
      const run = await runRecipe('plugins/dualcodec/export/export_dualcodec.py', ['--variant', variant, '--random', '--small', '--check']);
      assert.match(run.output, new RegExp(`ok   ${plugin}\\.encoder \\(contract, run, PyTorch outputs\\)`));
      assert.match(run.output, new RegExp(`ok   ${plugin}\\.decoder \\(contract, run, PyTorch outputs\\)`));
      assert.ok(worstDifference(run.output) <= 1e-4);
      console.log(`# dualcodec ${variant}: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
    });
  }
});
