// How long Metis speaks when the client does not say.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { METIS } from '../settings.ts';
import { framesForSeconds, targetFramesFromPrompt, targetFramesWithoutPrompt } from '../target-length.ts';

describe('Metis target length', () => {
  it("scales the prompt's frames by the ratio of UTF-8 lengths, as text2semantic does", () => {
    assert.equal(targetFramesFromPrompt(150, 'x'.repeat(20), 'y'.repeat(30)), 100);
    // 你好 is 6 bytes; floor(100 · 6 / 4) = 150
    assert.equal(targetFramesFromPrompt(100, '你好', 'abcd'), 150);
  });

  it('keeps estimates within the route bounds', () => {
    assert.equal(targetFramesFromPrompt(49, 'hi', 'a long reference text'), Math.round(METIS.minTargetSeconds * 50));
    assert.equal(targetFramesFromPrompt(1000, 'x'.repeat(100), 'y'), METIS.maxTargetSeconds * 50);
  });

  it('without a reference, reads the text at the documented bytes per second', () => {
    assert.equal(targetFramesWithoutPrompt('x'.repeat(3 * METIS.unpromptedBytesPerSecond)), 150);
  });

  it('turns a given duration into int(seconds · 50) frames', () => {
    assert.equal(framesForSeconds(0.5), 25);
    assert.equal(framesForSeconds(0.01), 1);
  });
});
