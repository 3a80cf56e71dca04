// What TypeScript does around VevoSing's graphs, against the reference formulas: the AR token
// layout of ar_model.py, numpy's rounding of the shift, the chromagram's transpose and crop,
// the condition alignment of inference_fm, and the token counts the contracts promise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateDim, parseDim } from '../../../core/onnx/dim-expr.ts';
import { alignFrames } from '../../vevo-common/flow-matching.ts';
import { outputOnly } from '../../vevo-common/output-range.ts';
import { graphs } from '../graphs.ts';
import { chromaFrames, framesOf } from '../pipeline/features.ts';
import { roundHalfEven, semitoneSteps } from '../pipeline/pitch.ts';
import { SING_LAYOUT, SING_OUTPUTS, singPrompt } from '../pipeline/token-layout.ts';
import { AR_VOCAB } from '../settings.ts';

describe('VevoSing AR token layout', () => {
  it('puts the specials after 1024 + 512 + 16384 ids: pad 17920, bos/eos pairs 17921 … 17926 (models.md §3)', () => {
    assert.equal(AR_VOCAB, 17940);
    const L = SING_LAYOUT;
    assert.deepEqual([L.pad, L.contentBos, L.contentEos, L.styleBos, L.styleEos, L.contentStyleBos, L.contentStyleEos], [17920, 17921, 17922, 17923, 17924, 17925, 17926]);
  });

  it('shifts phones by 16896 and prosody by 16384, wraps each part, and leaves the output open', () => {
    assert.deepEqual(singPrompt([0, 5], [3], [7, 16383]), [17921, 16896, 16901, 17922, 17923, 16387, 17924, 17925, 7, 16383]);
    // synthesis: no prosody part
    assert.deepEqual(singPrompt([1], undefined, []), [17921, 16897, 17922, 17925]);
    assert.throws(() => singPrompt([1024], undefined, []), /phone id 1024 is outside 0\.\.1023/);
    assert.throws(() => singPrompt([1], [512], []), /prosody id 512/);
  });

  it('lets the sampler pick content-style ids and cs_eos only', () => {
    const row = outputOnly(new Float32Array(AR_VOCAB).fill(1), SING_OUTPUTS);
    assert.equal(row[16383], 1);
    assert.equal(row[16384], -Infinity);
    assert.equal(row[17926], 1);
    assert.equal(row.filter((x) => x === 1).length, 16385);
  });
});

describe('shifted source', () => {
  it('rounds 12·log2(ref/src) half to even, as numpy does', () => {
    assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, 0, -2, 2, 3]);
    assert.equal(semitoneSteps(220, 440), 12);
    assert.equal(semitoneSteps(440, 220), -12);
    assert.equal(semitoneSteps(200, 200 * 2 ** (2.5 / 12)), 2);
    assert.equal(semitoneSteps(100, 150), 7); // 7.02
  });
});

describe('features', () => {
  it('takes len // 480 frames of the chromagram, transposed to [frames][24], edge-padding a short one', async () => {
    // a stand-in chromagram [24][T] whose value is 100·bin + frame
    const stub = (frames: number) => ({ chroma: async () => ({ data: Float32Array.from({ length: 24 * frames }, (_, i) => 100 * Math.floor(i / frames) + (i % frames)), dims: [24, frames] as const }) });
    assert.equal(framesOf(24000), 50);
    const cut = await chromaFrames(stub(51), new Float32Array(24000), 50);
    assert.equal(cut.length, 50 * 24);
    assert.deepEqual([cut[0], cut[1], cut[24], cut[49 * 24 + 23]], [0, 100, 1, 2349]);
    const padded = await chromaFrames(stub(3), new Float32Array(0), 5);
    assert.deepEqual([padded[4 * 24], padded[4 * 24 + 1]], [2, 102]);
  });

  it('aligns the upsampled condition to the mels: cut, or the last frame repeated', () => {
    const cond = Float32Array.of(1, 2, 3, 4, 5, 6); // 3 frames × 2
    assert.deepEqual([...alignFrames(cond, 2, 2)], [1, 2, 3, 4]);
    assert.deepEqual([...alignFrames(cond, 2, 5)], [1, 2, 3, 4, 5, 6, 5, 6, 5, 6]);
  });

  it('declares ceil(T/4) content-style and ceil(T/8) prosody tokens, and 4 condition frames per token', () => {
    const at = (dim: string | number, axes: Record<string, number>) => evaluateDim(parseDim(dim), new Map(Object.entries(axes)));
    for (const T of [1, 3, 4, 5, 8, 9, 50, 101, 1500]) {
      assert.equal(at(graphs.content_style_tokenizer.outputs[0].dims[1], { frames: T }), Math.ceil(T / 4), `T=${T}`);
      assert.equal(at(graphs.prosody_tokenizer.outputs[0].dims[1], { frames: T }), Math.ceil(T / 8), `T=${T}`);
    }
    assert.equal(at(graphs.fm_cond.outputs[0].dims[1], { tokens: 13 }), 52);
  });
});
