import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { separateEspeakPhones } from '../../core/text/phonemizer/espeak-output.ts';
import { isolateMarks, normalizeForPhonemizer, PRESERVED_MARKS } from '../../core/text/phonemizer/amphion-tokenizer.ts';
import { preservePunctuation, restorePunctuation } from '../../core/text/phonemizer/punctuation.ts';

describe('punctuation kept around espeak as the Python phonemizer does', () => {
  it('cuts a line at runs of marks and remembers where each stood', () => {
    assert.deepEqual(preservePunctuation('hi,you!', PRESERVED_MARKS), {
      chunks: ['hi', 'you'],
      marks: [
        { mark: ',', position: 'inside' },
        { mark: '!', position: 'end' },
      ],
    });
    assert.deepEqual(preservePunctuation('…well', PRESERVED_MARKS).marks, [{ mark: '…', position: 'begin' }]);
    assert.deepEqual(preservePunctuation('?!', PRESERVED_MARKS), { chunks: [], marks: [{ mark: '?!', position: 'alone' }] });
  });

  it('puts the marks back between phonemized chunks', () => {
    const marks = preservePunctuation(',hi,you!', PRESERVED_MARKS).marks;
    assert.deepEqual(restorePunctuation(['h|aɪ', 'j|uː'], marks, '|_|'), [',h|aɪ,j|uː!']);
  });

  it('returns the marks alone when nothing was phonemized', () => {
    assert.deepEqual(restorePunctuation([], [{ mark: '?!', position: 'alone' }], '|_|'), ['?!']);
  });
});

describe('espeak output to separated phones', () => {
  it('drops stress and language flags and separates phones and words', () => {
    assert.equal(separateEspeakPhones('h_ə_l_ˈoʊ w_ˈɜː_l_d', { phone: '|', word: '|_|' }), 'h|ə|l|oʊ|_|w|ɜː|l|d');
    assert.equal(separateEspeakPhones('_(en)_tʃ_ˈaɪ_(fr)_l_ə-', { phone: '|', word: '|_|' }), '||tʃ|aɪ||l|ə');
  });

  it('can keep the stress marks', () => {
    assert.equal(separateEspeakPhones('h_ə_l_ˈoʊ', { phone: ' ', word: ' _ ' }, { stress: true }), 'h ə l ˈoʊ');
  });
});

describe('the text clean-up before espeak', () => {
  it('converts Chinese punctuation, drops symbols and spaces around marks', () => {
    assert.equal(normalizeForPhonemizer('Hello ， world ！ (really) #1...'), 'Hello,world!really 1…');
  });

  it('wraps each mark in separators', () => {
    assert.equal(isolateMarks('h|aɪ,j|uː!'), 'h|aɪ|,|j|uː|!');
  });
});
