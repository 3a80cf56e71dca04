// The export recipe, rerun: a shrunk random-init generator of each published layout goes
// through export.py, the graph through the plugin's contract in onnxruntime-node, and its
// output against torch's on a length it was not traced at (check-export.ts, 1e-4).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';

describe('hifigan export recipe (python3-torch)', { timeout: 600_000 }, () => {
  for (const family of ['v1', 'v3']) {
    it(`exports a shrunk random ${family} that matches torch within 1e-4 through the contract`, async (t) => {
      if (!needTorch(t)) return;
      const run = await runRecipe('plugins/hifigan/export/export.py', ['--random', family, '--small', '--check']);
      assert.match(run.output, /contract: .*generator\.onnx matches hifigan\.generator/);
      assert.ok(worstDifference(run.output) <= 1e-4);
      console.log(`# hifigan ${family}: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
    });
  }
});
