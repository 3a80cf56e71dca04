// Qwen3-TTS's talker-side recipe, rerun: shrunk random-init modules of the reference layout
// (plain torch, the reference's parameter names) export to the five loop graphs and the speaker
// encoder of the plugin's contracts, onnxruntime-node matches torch at lengths the export was not traced at
// (check-export.ts, 1e-4), and both explicit KV caches (prefill + step) reproduce one causal pass.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needTorch, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { LOOP_GRAPHS } from '../graphs.ts';

describe('qwen3-tts export recipe (python3-torch)', { timeout: 300_000 }, () => {
  it('exports text, codec and code-predictor embeddings, the talker, the code predictor and the ECAPA speaker encoder from random-init modules, matching torch in onnxruntime-node', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/qwen3-tts/export/export_qwen3_tts.py', ['--random', '--small', '--check']);
    for (const name of [...LOOP_GRAPHS, 'speaker_encoder']) assert.match(run.output, new RegExp(`ok {3}qwen3-tts-shrunk\\.${name} \\(contract, run, PyTorch outputs\\)`));
    assert.equal([...run.output.matchAll(/cache: prefill 5 \+ step 1 vs one pass of 6/g)].length, 2);
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# qwen3-tts: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});
