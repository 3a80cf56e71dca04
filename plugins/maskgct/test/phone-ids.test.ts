// The hub's phonemizer against Amphion's MaskGCT G2P, on every case of the reference fixture
// (scripts/reference/maskgct-phone-ids.py): the same phone string and the same ids from
// Amphion's vocab.json. The route tests check that these ids are what reaches T2S; this
// file covers the cases that exercise the front end itself (jieba's word boundaries decide
// the 3-3 and 一 sandhi), without starting a hub.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTextToolkit } from '../../../core/text/make-text-toolkit.ts';
import type { PhoneVocab, TextToolkit } from '../../../core/text/toolkit.ts';

const AMPHION = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'phone-ids.json'), 'utf8')) as {
  espeak: string;
  cases: { language: string; text: string; phones: string; ids: number[] }[];
  vocab: Record<string, number>;
};

describe("the hub's G2P gives Amphion's MaskGCT phone ids", () => {
  let text: TextToolkit;
  let vocab: PhoneVocab;
  before(() => {
    text = makeTextToolkit();
    vocab = text.phoneVocabFrom({ vocab: AMPHION.vocab });
  });
  after(() => text.close());

  it('reads the whole of Amphion\'s 363-phone table', () => {
    assert.equal(vocab.size, 363);
  });

  for (const c of AMPHION.cases) {
    it(`${c.language} "${c.text}"`, async () => {
      const phonemized = await text.phonemize(c.text, c.language);
      assert.equal(phonemized.text, c.phones);
      assert.deepEqual(vocab.ids(phonemized.phones).ids, c.ids);
    });
  }
});
