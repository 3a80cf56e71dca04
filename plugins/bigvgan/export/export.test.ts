// The export recipe, rerun: shrunk random-init generators (anti-aliased SnakeBeta, as
// published) of the 256x layout and of the 512x layout its own plugin serves go through
// export.py, the graph through the plugin's contract in onnxruntime-node, and its output
// against torch's at a length it was not traced at (check-export.ts, 1e-4).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';

describe('bigvgan export recipe (python3-torch)', { timeout: 600_000 }, () => {
  const cases = [
    ['bigvgan_v2_24khz_100band_256x', 'bigvgan'],
    ['bigvgan_v2_44khz_128band_512x', 'bigvgan-512x'],
  ] as const;
  for (const [config, plugin] of cases) {
    it(`exports a shrunk random ${config} that matches torch within 1e-4 through ${plugin}'s contract`, async (t) => {
      if (!needTorch(t)) return;
      const run = await runRecipe('plugins/bigvgan/export/export.py', ['--random', config, '--small', '--check']);
      assert.match(run.output, new RegExp(`matches ${plugin}\\.generator`));
      assert.ok(worstDifference(run.output) <= 1e-4);
      console.log(`# bigvgan ${config}: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
    });
  }
});
