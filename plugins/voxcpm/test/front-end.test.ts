// The pure pieces around the graphs: the prompt's left padding and the latent ⇄ patch layout
// (`view(D, -1, P).permute(1, 2, 0)` and back), the tokenizer wrapper that splits
// multi-character Chinese tokens, and the seeded noise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../core/generation/rng.ts';
import { tokenizerFrom } from '../../../core/text/bpe-tokenizer.ts';
import { gaussianNoise } from '../gaussian.ts';
import { latentFromPatches, leftPadToMultiple, patchesFromLatent } from '../latents.ts';
import { cleanText, smokeTextIds, voxcpmTextIds } from '../text-ids.ts';

describe('VoxCPM front end', () => {
  it('left-pads the prompt with silence to whole patches, keeping the audio at the end', () => {
    const padded = leftPadToMultiple(Float32Array.of(1, 2, 3), 4);
    assert.deepEqual([...padded], [0, 1, 2, 3]);
    const whole = Float32Array.of(1, 2, 3, 4);
    assert.equal(leftPadToMultiple(whole, 4), whole);
    assert.equal(leftPadToMultiple(new Float32Array(1281), 1280).length, 2560);
  });

  it('reads a [D, T·P] latent as [T, P, D] patches, as view(D, -1, P).permute(1, 2, 0) does, and back', () => {
    // D = 2 channels, 4 frames: channel c, frame f holds 10·c + f.
    const latent = Float32Array.of(0, 1, 2, 3, 10, 11, 12, 13);
    const patches = patchesFromLatent(latent, 2, 2);
    // patch t, frame p, channel c at ((t·P + p)·D + c)
    assert.deepEqual([...patches], [0, 10, 1, 11, 2, 12, 3, 13]);
    assert.deepEqual([...latentFromPatches(patches, 2)], [...latent]);
    assert.throws(() => patchesFromLatent(new Float32Array(6), 2, 2), /not whole patches/);
  });

  it('splits multi-character Chinese tokens into characters, as mask_multichar_chinese_tokens does', () => {
    const tokenizer = tokenizerFrom({
      version: '1.0', added_tokens: [], normalizer: null, pre_tokenizer: { type: 'Whitespace' }, post_processor: null, decoder: null,
      model: { type: 'WordLevel', vocab: { '<unk>': 0, '你好': 5, '你': 6, '好': 7, hi: 8, '世界': 9, '世': 10 }, unk_token: '<unk>' },
    });
    // 你好 → 你 好; hi stays; 世界 → 世 and 界, which the vocabulary lacks (unk, as convert_tokens_to_ids gives).
    assert.deepEqual(voxcpmTextIds(tokenizer)('你好 hi 世界'), [6, 7, 8, 10, 0]);
  });

  it('reads newlines as spaces, and in smoke mode gives one id per character away from the special ids', () => {
    assert.equal(cleanText(' one\ntwo\r\nthree '), 'one two three');
    const ids = smokeTextIds('héllo 你');
    assert.equal(ids.length, 7);
    assert.ok(ids.every((id) => id >= 200));
  });

  it('draws standard-normal noise, the same for the same seed', () => {
    const a = gaussianNoise(seededRandom(3), 20001);
    assert.deepEqual(a, gaussianNoise(seededRandom(3), 20001));
    assert.notDeepEqual(a, gaussianNoise(seededRandom(4), 20001));
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
    assert.ok(Math.abs(mean) < 0.03 && Math.abs(variance - 1) < 0.05, `mean ${mean}, variance ${variance}`);
  });
});
