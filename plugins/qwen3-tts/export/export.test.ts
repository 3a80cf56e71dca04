// Qwen3-TTS's talker-side recipe, rerun: shrunk random-init modules of the reference layout
// (plain torch, the reference's parameter names) export to the five loop graphs and the speaker
// encoder of the plugin's contracts, onnxruntime-node matches torch at lengths the export was not traced at
// (check-export.ts, 1e-4), and both explicit KV caches (prefill + step) reproduce one causal pass.
// The 12 Hz tokenizer's recipe likewise: both graphs against torch through the same contracts.
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

  it('exports the 12 Hz tokenizer encoder and decoder from random-init modules (1920 samples a frame both ways), matching torch in onnxruntime-node at lengths longer than both attention windows', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/qwen3-tts/export/export_qwen3_tokenizer.py', ['--random', '--small', '--check']);
    for (const name of ['tokenizer_encoder', 'tokenizer_decoder']) assert.match(run.output, new RegExp(`ok {3}qwen3-tts-shrunk\\.${name} \\(contract, run, PyTorch outputs\\)`));
    // 9 frames of codes → 9 · 1920 samples; 7 frames of audio → 7 × 16 ids, all equal to torch's
    assert.match(run.output, /decoder: 9 frames → 17280 samples/);
    assert.match(run.output, /codes: 0 of 112 ids differ from PyTorch/);
    // every conv causal and attention looking back only: the premise of decode.ts's chunks
    assert.match(run.output, /decoder causal: 6 frames alone vs inside 9/);
    // the sliding windows (shrunk to 5 and 4): a key reaches exactly the next `window` queries
    assert.match(run.output, /encoder window 5: the key at 3 reaches queries \[3, 4, 5, 6, 7\]/);
    assert.match(run.output, /decoder window 4: the key at 3 reaches queries \[3, 4, 5, 6\]/);
    assert.ok(worstDifference(run.output) <= 1e-5);
    console.log(`# qwen3-tts tokenizer: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });

  it('counts the full-size tokenizer without weights: 0.15–0.2 B checkpoint values (this module 0.171 B; models.md ≈0.19 B from a third-party GGUF)', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/qwen3-tts/export/export_qwen3_tokenizer.py', ['--count']);
    const values = Number(/([0-9.]+) M values in the state dict/.exec(run.output)?.[1]);
    assert.ok(values > 150 && values < 200, run.output);
  });
});
