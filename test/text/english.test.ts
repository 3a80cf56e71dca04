import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applySpecialMap, expandAbbreviations, finishEnglishPhones, normalizeEnglish } from '../../core/text/g2p/english.ts';
import { numberToWords, ordinalWords } from '../../core/text/g2p/number-words.ts';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'text', 'phonemizer-espeak.json'), 'utf8')) as {
  englishNormalization: { text: string; normalized: string }[];
};

describe('English number words with inflect conventions', () => {
  it('reads small and large numbers', () => {
    assert.equal(numberToWords(0), 'zero');
    assert.equal(numberToWords(21), 'twenty-one');
    assert.equal(numberToWords(115), 'one hundred and fifteen');
    assert.equal(numberToWords(115, { andWord: '' }), 'one hundred fifteen');
    assert.equal(numberToWords(1005), 'one thousand and five');
    assert.equal(numberToWords(1234567, { andWord: '' }), 'one million, two hundred thirty-four thousand, five hundred sixty-seven');
    assert.equal(numberToWords('1000000000'), 'one billion');
  });

  it('reads digit pairs for years', () => {
    assert.equal(numberToWords(1984, { group: 2, zero: 'oh', andWord: '' }), 'nineteen, eighty-four');
    assert.equal(numberToWords(1905, { group: 2, zero: 'oh', andWord: '' }), 'nineteen, oh five');
  });

  it('reads digit by digit past the largest named scale instead of failing', () => {
    assert.equal(numberToWords('1'.repeat(40)).split(' ').length, 40);
  });

  it('makes ordinals from the last word', () => {
    assert.deepEqual(['one', 'two', 'three', 'five', 'nine', 'twelve', 'twenty', 'twenty-one', 'eleven', 'one hundred'].map(ordinalWords), [
      'first', 'second', 'third', 'fifth', 'ninth', 'twelfth', 'twentieth', 'twenty-first', 'eleventh', 'one hundredth',
    ]);
  });

  it('rejects what is not a non-negative integer', () => {
    assert.throws(() => numberToWords('-3'), RangeError);
  });
});

describe('English normalisation as Amphion does it', () => {
  for (const c of fixture.englishNormalization) {
    it(`expands ${JSON.stringify(c.text)} as Python inflect does`, () => {
      assert.equal(normalizeEnglish(c.text), c.normalized);
    });
  }

  it('expands abbreviations only as whole words', () => {
    assert.equal(expandAbbreviations('Dr. Who met Mrs. Co at the coast'), 'doctor. Who met misess. company at the coast');
  });
});

describe("English phone post-mapping", () => {
  it('merges affricate clusters and maps phones outside the inventory', () => {
    assert.equal(applySpecialMap('t|ɹ|iː|_|k|æ|t|s'), 'tɹ|iː|_|k|æ|ts');
    assert.equal(applySpecialMap('ɐ|b|ɐ|ʔ'), 'ɚ|b|ɚ|t');
  });

  it('adds a blank after a final phone but not after punctuation', () => {
    assert.equal(finishEnglishPhones('h|aɪ'), 'h|aɪ|_');
    assert.equal(finishEnglishPhones('h|aɪ|!'), 'h|aɪ|!');
    assert.equal(finishEnglishPhones(''), '');
  });
});
