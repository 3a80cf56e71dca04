// The small pieces of DualCodec-VALL-E's pipeline, on inputs whose answers are known.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../core/generation/rng.ts';
import { sampleToken } from '../../../core/generation/samplers.ts';
import { speechOnly } from '../ar-loop.ts';
import { newTokenBudget } from '../autoregressive.ts';
import { argmaxRows } from '../nar.ts';
import { raiseQuietClip } from '../synthesize.ts';
import { arPrompt, normalizeText } from '../text.ts';

describe('DualCodec-VALL-E text and token layout', () => {
  it("normalises English as normalize_en does (acronyms spelled, case folded, ' → ^, ; and : → ,)", () => {
    assert.equal(normalizeText("It can't be NASA; said I: 'yes' ！  ", 'en'), 'it can^t be N A S A, said I, "yes" !');
  });

  it('folds full-width punctuation and spaces only in other languages', () => {
    assert.equal(normalizeText('你好，世界！  ', 'zh'), '你好,世界!');
  });

  it('lays out text + 16394, the separator 3, and the prompt codes + 10', () => {
    assert.deepEqual(arPrompt([50259, 5], [0, 7, 16383]), [50259 + 16394, 5 + 16394, 3, 10, 17, 16393]);
  });

  it('leaves max_length − prompt new tokens, or fewer when capped', () => {
    assert.equal(newTokenBudget(40), 960);
    assert.equal(newTokenBudget(40, 10), 10);
    assert.equal(newTokenBudget(1200), 0);
  });
});

describe('DualCodec-VALL-E sampling pieces', () => {
  it('draws among EOS and the speech ids only, in the full vocabulary\'s order', () => {
    const draw = speechOnly({ first: 3, end: 5 }, 1);
    assert.deepEqual(Array.from(draw.row([5, 6, 7, 8, 9, 1, 2])), [6, 8, 9]);
    assert.deepEqual(draw.history([0, 1, 2, 3, 4, 5, 6]), [0, 1, 2]);
    assert.deepEqual([0, 1, 2].map(draw.id), [1, 3, 4]);
  });

  it('samples exactly what the full row with every other id at −∞ would give', () => {
    const speech = { first: 10, end: 60 };
    const draw = speechOnly(speech, 2);
    const logits = Array.from({ length: 80 }, (_, i) => Math.sin(i * 1.7) * 4);
    const history = [70, 12, 2, 33, 12];
    const settings = { temperature: 1, topK: 15, topP: 0.85, repetitionPenalty: 1.1 };
    for (let seed = 0; seed < 20; seed++) {
      const full = logits.map((x, id) => (id === 2 || (id >= speech.first && id < speech.end) ? x : -Infinity));
      const expected = sampleToken(full, history, settings, seededRandom(seed));
      assert.equal(draw.id(sampleToken(draw.row(logits), draw.history(history), settings, seededRandom(seed))), expected);
    }
  });

  it('takes the NAR argmax per position', () => {
    assert.deepEqual(Array.from(argmaxRows(Float32Array.of(0, 3, 1, 5, -1, 2), 2, 3)), [1, 0]);
  });

  it('raises a quiet reference to RMS 0.1 and leaves a loud one alone', () => {
    const quiet = raiseQuietClip(Float32Array.of(0.01, -0.01, 0.01, -0.01), 0.1);
    assert.deepEqual(Array.from(quiet, (x) => Number(x.toFixed(6))), [0.1, -0.1, 0.1, -0.1]);
    const loud = Float32Array.of(0.5, -0.5);
    assert.equal(raiseQuietClip(loud, 0.1), loud);
  });
});
