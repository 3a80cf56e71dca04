import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHubError } from '../../core/errors.ts';
import { assertTextLength, chunkText, splitSentences } from '../../core/text/sentences.ts';

describe('sentence splitting', () => {
  it('cuts at sentence ends, not after abbreviations, initials or inside numbers', () => {
    assert.deepEqual(splitSentences('Dr. Smith paid 3.50 dollars. J. K. Rowling wrote it!  Really?'), [
      'Dr. Smith paid 3.50 dollars.',
      'J. K. Rowling wrote it!',
      'Really?',
    ]);
  });

  it('cuts Chinese at full-width marks without spaces', () => {
    assert.deepEqual(splitSentences('你好。今天天气很好！我们走吧'), ['你好。', '今天天气很好！', '我们走吧']);
  });

  it('keeps closing quotes with their sentence', () => {
    assert.deepEqual(splitSentences('He said "stop." Then he left.'), ['He said "stop."', 'Then he left.']);
  });
});

describe('chunking long text', () => {
  it('packs sentences up to the limit and cuts a longer one between words', () => {
    assert.deepEqual(chunkText('One. Two. Three is longer.', { maxChars: 10 }), ['One. Two.', 'Three is', 'longer.']);
  });

  it('cuts a long sentence at clause marks before words', () => {
    assert.deepEqual(chunkText('first part here, second part here', { maxChars: 20 }), ['first part here,', 'second part here']);
  });

  it('cuts text without spaces anywhere, never over the limit', () => {
    const chunks = chunkText('这是一个非常非常长的句子没有任何标点符号', { maxChars: 8 });
    assert.ok(chunks.every((c) => [...c].length <= 8));
    assert.equal(chunks.join(''), '这是一个非常非常长的句子没有任何标点符号');
  });
});

describe('length limits', () => {
  it('answers an over-long text with a 400 naming the field', () => {
    try {
      assertTextLength('x'.repeat(11), { field: 'text', maxChars: 10 });
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(isHubError(error));
      assert.equal(error.status, 400);
      assert.equal(error.message, 'text: must be at most 10 characters (got 11)');
    }
  });

  it('answers an empty text with a 400', () => {
    assert.throws(() => assertTextLength('  ', { field: 'input', maxChars: 10 }), /input: must not be empty/);
  });

  it('counts characters, not UTF-16 units', () => {
    assert.doesNotThrow(() => assertTextLength('𝄞'.repeat(10), { field: 'text', maxChars: 10 }));
  });
});
