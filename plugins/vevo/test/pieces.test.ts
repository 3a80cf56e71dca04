// What TypeScript does around the graphs, against numbers from the reference formulas
// (ar_model.py token layout, duration_reduction_func, torchaudio's waveform layer-norm, the
// normalisation of HuBERT features and mels, save_audio's −25 dB).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gaussianNoise, targetFramesOf } from '../../vevo-common/flow-matching.ts';
import { normaliseMel } from '../../vevo-common/mel.ts';
import { binsMajor, normaliseLoudness } from '../../vevo-common/vocoder.ts';
import { seededRandom } from '../../../core/generation/rng.ts';
import { newTokenBudget } from '../pipeline/autoregressive.ts';
import { reduceDurations } from '../pipeline/duration.ts';
import { layerNormWaveform } from '../../hubert/front-end.ts';
import { hubertInput, normaliseFeatures } from '../pipeline/hubert-front.ts';
import { arLayout, arPrompt, outputOnly } from '../pipeline/token-layout.ts';
import { arVocab } from '../settings.ts';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
};

describe('AR token layout', () => {
  it('puts the specials after input + output ids: 9216.. for TTS, 9248.. for VC (ar_model.py comments)', () => {
    assert.deepEqual(arLayout(1024, 8192), { inputVocab: 1024, outputVocab: 8192, pad: 9216, inputBos: 9217, inputEos: 9218, outputBos: 9219, outputEos: 9220 });
    const vc = arLayout(1056, 8192);
    assert.deepEqual([vc.pad, vc.inputBos, vc.inputEos, vc.outputBos, vc.outputEos], [9248, 9249, 9250, 9251, 9252]);
    assert.equal(arVocab('tts'), 9236);
    assert.equal(arVocab('vc'), 9268);
  });

  it('shifts inputs by 8192, wraps them in in_bos/in_eos, opens the output with out_bos and no out_eos', () => {
    const vc = arLayout(1056, 8192);
    // VC content code 3 → 3 + 1024 (tts_input_vocab_size) → + 8192
    assert.deepEqual(arPrompt(vc, [1027, 1024], [17, 8191]), [9249, 9219, 9216, 9250, 9251, 17, 8191]);
    assert.throws(() => arPrompt(vc, [1056], []), /outside 0\.\.1055/);
  });

  it('leaves only output ids and out_eos to the sampler', () => {
    const layout = arLayout(4, 8); // pad 12, out_eos 16, vocab 12 + 4 + 1
    const row = outputOnly(Float32Array.from({ length: 17 }, (_, i) => i), layout);
    assert.deepEqual([...row], [0, 1, 2, 3, 4, 5, 6, 7, ...Array(8).fill(-Infinity), 16]);
  });

  it('counts max_length with the prompt, as HF generate does', () => {
    assert.equal(newTokenBudget(120), 1880);
    assert.equal(newTokenBudget(120, 50), 50);
    assert.equal(newTokenBudget(2100), 0);
  });
});

describe('duration reduction', () => {
  it('collapses runs with n-gram 1: 3 3 3 7 7 3 → 3 7 3', () => {
    assert.deepEqual(reduceDurations([3, 3, 3, 7, 7, 3]), [3, 7, 3]);
    assert.deepEqual(reduceDurations([5]), [5]);
  });
  it('follows the unfold formula for n-gram 2 (outputs of the torch function)', () => {
    // windows (1,2)(2,1)(1,2)(2,3): each differs from the one before in both places → all kept
    assert.deepEqual(reduceDurations([1, 2, 1, 2, 3], 2), [1, 2, 1, 2, 3]);
    // a window is kept only if *every* place differs: (5,6) after (5,5) is dropped
    assert.deepEqual(reduceDurations([5, 5, 5, 6], 2), [5, 5]);
    assert.deepEqual(reduceDurations([1, 2, 2, 3, 3, 3, 4], 2), [1, 2]);
  });
});

describe('HuBERT front end', () => {
  it('layer-norms the waveform over the whole clip (biased variance, eps 1e-5)', () => {
    const s = Math.sqrt(1.25 + 1e-5);
    close(layerNormWaveform(Float32Array.of(1, 2, 3, 4)), [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]);
  });
  it('cuts the tail no conv window reads: S\' = 320·floor((S − 80)/320) + 80', () => {
    assert.equal(hubertInput(new Float32Array(16000)).length, 49 * 320 + 80);
    assert.equal(hubertInput(new Float32Array(400)).length, 400);
    assert.equal(hubertInput(new Float32Array(719)).length, 400);
    assert.equal(hubertInput(new Float32Array(720)).length, 720);
  });
  it('normalises features per channel with the statistics', () => {
    const stats = { mean: Float32Array.of(1, -1), std: Float32Array.of(2, 4) };
    close(normaliseFeatures(Float32Array.of(3, 3, 1, -1), stats), [1, 1, 0, 0]);
  });
});

describe('mel and output', () => {
  it('normalises the mel with mean −4.92, var 8.14 and lays it out frame-major', () => {
    const { mel, frames } = normaliseMel({ data: Float32Array.of(-4.92, 0, 1, 2, 3, 4), dims: [2, 3] });
    const k = 1 / Math.sqrt(8.14);
    assert.equal(frames, 3);
    // bins-major [[-4.92, 0, 1], [2, 3, 4]] → frame-major [f0b0, f0b1, f1b0, f1b1, f2b0, f2b1]
    close(mel, [-4.92, 2, 0, 3, 1, 4].map((v) => (v + 4.92) * k));
    close(binsMajor(mel, 3, 2), [-4.92, 0, 1, 2, 3, 4].map((v) => (v + 4.92) * k), 1e-6);
  });
  it('scales the output to −25 dB RMS (save_audio)', () => {
    const out = normaliseLoudness(Float32Array.of(0.5, -0.5, 0.5, -0.5));
    close(out, [0.5, -0.5, 0.5, -0.5].map((v) => (v / (0.5 + 1e-9)) * 10 ** (-25 / 20)), 1e-7);
  });
  it('generates len(cond) − len(prompt) frames, from seeded standard normal noise', () => {
    assert.equal(targetFramesOf(98, 50), 48);
    const z = gaussianNoise(20000, seededRandom(3));
    const mean = z.reduce((a, b) => a + b) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    assert.ok(Math.abs(mean) < 0.03 && Math.abs(variance - 1) < 0.05, `${mean} ${variance}`);
    assert.deepEqual(gaussianNoise(5, seededRandom(3)), gaussianNoise(5, seededRandom(3)));
  });
});
