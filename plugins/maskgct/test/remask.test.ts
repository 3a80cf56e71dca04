import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confidence, selectRemasked } from '../sampling/remask.ts';

describe('confidence-based re-masking', () => {
  it('scores a token by its probability plus choice-temperature-scaled noise', () => {
    assert.equal(confidence(0.5, 0.25, 1), 0.75);
    assert.equal(confidence(0.5, 0.25, 0.5), 0.625);
    assert.equal(confidence(0.5, 10, 0), 0.5);
  });

  it('re-masks the least confident of the masked positions only', () => {
    const next = selectRemasked([0.9, 0.1, 0.5, 0.3], Uint8Array.from([1, 1, 1, 0]), 2);
    assert.deepEqual([...next], [0, 1, 1, 0]);
  });

  it('breaks ties towards the lower position', () => {
    assert.deepEqual([...selectRemasked([0.2, 0.2, 0.2], Uint8Array.from([1, 1, 1]), 1)], [1, 0, 0]);
  });

  it('re-masks nothing for a count of zero, and refuses more than are masked', () => {
    assert.deepEqual([...selectRemasked([1, 2], Uint8Array.from([1, 1]), 0)], [0, 0]);
    assert.throws(() => selectRemasked([1, 2], Uint8Array.from([1, 0]), 2), RangeError);
  });
});
