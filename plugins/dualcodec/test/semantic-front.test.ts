// The semantic front's bookkeeping: every codec frame gets exactly its share of w2v-BERT
// frames, and the average pooling matches avg_pool1d(kernel = stride = factor).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kaldiFrameCount, stackedAttentionMask } from '../../w2v-bert/front-end.ts';
import { averageFrames, frontEndSignal } from '../semantic-front.ts';
import { DUALCODEC_VARIANTS } from '../variants.ts';

describe('the DualCodec semantic front', () => {
  for (const variant of Object.values(DUALCODEC_VARIANTS)) {
    it(`gives ${variant.id} exactly ${variant.semanticDownsample} unmasked w2v-BERT frames per codec frame`, () => {
      for (const frames of [1, 2, 13, 250]) {
        const samples16k = (frames * variant.hop * 2) / 3; // the padded clip resampled from 24 kHz
        const kaldi = kaldiFrameCount(frontEndSignal(new Float32Array(samples16k)).length);
        assert.equal(Math.ceil(kaldi / 2), frames * variant.semanticDownsample, `${frames} frames`);
        assert.ok(stackedAttentionMask(kaldi).every((m) => m === 1), 'no padding frame');
      }
    });
  }

  it('averages consecutive rows, dropping an incomplete last group as avg_pool1d does', () => {
    // rows [1,10], [3,30], [5,50], [7,70], [9,90] with factor 2 → [2,20], [6,60]
    const data = Float32Array.of(1, 10, 3, 30, 5, 50, 7, 70, 9, 90);
    assert.deepEqual([...averageFrames(data, 5, 2, 2)], [2, 20, 6, 60]);
    assert.deepEqual([...averageFrames(data, 4, 2, 4)], [4, 40]);
  });
});
