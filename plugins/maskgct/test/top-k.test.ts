import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topKCandidates, topKCount, topKFilter } from '../sampling/top-k.ts';

describe('top-k filtering', () => {
  it('keeps ceil((1 - 0.98)·V) ids: 164 of 8192 semantic ids, 21 of 1024 acoustic ids', () => {
    assert.equal(topKCount(8192, 0.98), 164);
    assert.equal(topKCount(1024, 0.98), 21);
    assert.equal(topKCount(10, 0.9), 1);
  });

  it('sets every logit outside the top k to -Infinity, as the original does', () => {
    assert.deepEqual([...topKFilter([1, 5, 3, 5, 2], 2)], [-Infinity, 5, -Infinity, 5, -Infinity]);
    assert.deepEqual([...topKFilter([1, 5, 3, 4, 2], 3)], [-Infinity, 5, 3, 4, -Infinity]);
  });

  it('lists candidates most likely first, ties broken towards the lower id', () => {
    const { ids, logits } = topKCandidates([0.1, 0.7, 0.7, 0.2], 3);
    assert.deepEqual([...ids], [1, 2, 3]);
    assert.deepEqual([...logits], [0.7, 0.7, 0.2].map(Math.fround));
    assert.deepEqual([...topKCandidates([2, 2, 2, 1], 2).ids], [0, 1]);
    assert.deepEqual([...topKCandidates([1, 2, 2, 2], 2).ids], [1, 2]);
  });

  it('never keeps a NaN over a number', () => {
    assert.deepEqual([...topKCandidates([Number.NaN, 1, Number.NaN, 0], 2).ids], [1, 3]);
  });

  it('agrees with a full sort on a long row', () => {
    const row = Float32Array.from({ length: 8192 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const expected = [...row.keys()].sort((a, b) => row[b]! - row[a]! || a - b).slice(0, 164);
    assert.deepEqual([...topKCandidates(row, 164).ids], expected);
  });
});
