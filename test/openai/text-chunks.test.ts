import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitIntoChunks } from '../../core/surfaces/openai/text-chunks.ts';

describe('splitting speech input into chunks', () => {
  it('keeps input that fits in one chunk whole', () => {
    assert.deepEqual(splitIntoChunks('Hello. World!', 100), ['Hello. World!']);
  });

  it('breaks at sentence ends and packs short sentences together up to the limit', () => {
    const text = 'One two three. Four five six! Seven eight nine? Ten.';
    assert.deepEqual(splitIntoChunks(text, 30), ['One two three. Four five six!', 'Seven eight nine? Ten.']);
  });

  it('breaks a long sentence at commas, then between words, never mid-word', () => {
    const chunks = splitIntoChunks('alpha beta gamma, delta epsilon zeta eta theta iota kappa lambda mu', 20);
    assert.ok(chunks.every((c) => c.length <= 20), chunks.join(' | '));
    assert.equal(chunks.join(' '), 'alpha beta gamma, delta epsilon zeta eta theta iota kappa lambda mu');
  });

  it('cuts a run without spaces at the limit', () => {
    assert.deepEqual(splitIntoChunks('a'.repeat(25), 10), ['aaaaaaaaaa', 'aaaaaaaaaa', 'aaaaa']);
  });

  it('splits Chinese at its own sentence marks', () => {
    assert.deepEqual(splitIntoChunks('你好世界。今天天气很好！我们走吧。', 8), ['你好世界。', '今天天气很好！', '我们走吧。']);
  });

  it('drops pieces with nothing to say, but gives unspeakable input to the model once', () => {
    assert.deepEqual(splitIntoChunks('Right. ... ... Left.', 8), ['Right.', 'Left.']);
    assert.deepEqual(splitIntoChunks('...', 100), ['...']);
  });

  it('loses no word of a long text', () => {
    const text = Array.from({ length: 300 }, (_, i) => `Word${i}${i % 7 === 6 ? '.' : ''}`).join(' ');
    const chunks = splitIntoChunks(text, 120);
    assert.ok(chunks.every((c) => c.length <= 120));
    assert.equal(chunks.join(' '), text);
  });
});
