import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeLogger } from '../../../core/log/logger.ts';
import { G2P_LANGUAGES } from '../../../core/text/g2p/languages.ts';
import { makeTextToolkit } from '../../../core/text/make-text-toolkit.ts';
import { estimateTargetFrames, framesForSeconds, hashedPhoneVocab, phoneVocabulary } from '../pipeline/phones.ts';
import { kaldiFrameCount, stackedAttentionMask } from '../../w2v-bert/front-end.ts';
import { MASKGCT } from '../settings.ts';

describe('target length', () => {
  it('scales the reference duration by the phone-count ratio, 50 frames a second: 3 s × 20/30 phones → 100 frames', () => {
    assert.equal(estimateTargetFrames(3 * 16000, 30, 20), 100);
    assert.equal(estimateTargetFrames(16000, 22, 16), 36); // int(1 · 16/22 · 50) = int(36.36)
  });

  it('keeps the estimate between half a second and the route maximum', () => {
    assert.equal(estimateTargetFrames(16000, 100, 1), 25);
    assert.equal(estimateTargetFrames(30 * 16000, 1, 100), MASKGCT.maxTargetSeconds * 50);
  });

  it('turns a given duration into int(seconds · 50) frames', () => {
    assert.equal(framesForSeconds(0.5), 25);
    assert.equal(framesForSeconds(1.234), 61);
    assert.equal(framesForSeconds(0.1), 5);
  });
});

describe('w2v-BERT front-end bookkeeping', () => {
  it('counts Kaldi frames with snip_edges: 1 + ⌊(n − 400)/160⌋', () => {
    assert.equal(kaldiFrameCount(399), 0);
    assert.equal(kaldiFrameCount(400), 1);
    assert.equal(kaldiFrameCount(560), 2);
    assert.equal(kaldiFrameCount(16000), 98);
  });

  it('masks the stacked frame that holds the padding of an odd frame count', () => {
    assert.deepEqual(stackedAttentionMask(4), [1, 1]);
    assert.deepEqual(stackedAttentionMask(5), [1, 1, 0]);
    assert.deepEqual(stackedAttentionMask(98).length, 49);
    assert.deepEqual(stackedAttentionMask(0), []);
  });
});

describe('phone vocabulary', () => {
  it('gives smoke runs stable ids inside the real table\'s 363', () => {
    const vocab = hashedPhoneVocab();
    const { ids, unknown } = vocab.ids(['h', 'ə', 'l', 'oʊ', '', 'ə']);
    assert.equal(ids.length, 5);
    assert.deepEqual(unknown, []);
    assert.equal(ids[1], ids[4]);
    assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0 && id < 363));
    assert.deepEqual(hashedPhoneVocab().ids(['h', 'ə']).ids, ids.slice(0, 2));
  });

  it('reads the vocabulary beside the graphs when there is one, smoke or installed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'maskgct-vocab-'));
    const text = makeTextToolkit();
    try {
      await writeFile(join(dir, MASKGCT.phoneVocabFile), JSON.stringify({ vocab: { h: 7, 'ə': 9 } }));
      for (const weightState of ['smoke', 'installed']) {
        const vocab = await phoneVocabulary({ weightDir: dir, weightState, text, log: makeLogger({ level: 'silent' }) });
        assert.deepEqual(vocab.ids(['h', 'ə', 'x']), { ids: [7, 9], unknown: ['x'] });
      }
    } finally {
      await text.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uses the hashed ids only in smoke state: installed weights without the vocabulary are an error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'maskgct-vocab-'));
    const text = makeTextToolkit();
    try {
      const smoke = await phoneVocabulary({ weightDir: dir, weightState: 'smoke', text, log: makeLogger({ level: 'silent' }) });
      assert.equal(smoke.size, 363);
      await assert.rejects(phoneVocabulary({ weightDir: dir, weightState: 'installed', text, log: makeLogger({ level: 'silent' }) }), /cannot be read/);
    } finally {
      await text.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('languages', () => {
  it('offers only languages the hub\'s phonemizer speaks', () => {
    for (const language of MASKGCT.languages) assert.ok((G2P_LANGUAGES as readonly string[]).includes(language), language);
  });
});
