// The token checks on their own: what passes, in what layout, and the first violation's message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHubError } from '../../core/errors.ts';
import { checkLength, padToHop, trimTo } from './hop-length.ts';
import { expectSame, makeFieldSource, readVector } from './payload.ts';
import { checkSameFrames, gridFromRows, gridToJson, layerOf, readTokenGrid, type GridSpec } from './token-grid.ts';

const SPEC: GridSpec = {
  field: 'codes',
  minLayers: 2,
  maxLayers: 3,
  layersHint: '2 or 3 test layers',
  codebook: (layer) => ({ size: layer === 0 ? 10 : 4, name: layer === 0 ? 'first' : 'other' }),
  maxFrames: 5,
  maxFramesReason: 'a test limit',
};

function refusal(run: () => unknown): { detail: string; status: number; param: string | undefined } {
  try {
    run();
  } catch (error) {
    assert.ok(isHubError(error), String(error));
    return { detail: error.message, status: error.status, param: error.param };
  }
  assert.fail('expected a refusal');
}

describe('readTokenGrid', () => {
  it('reads a valid grid layer-major and gives it back as JSON unchanged', () => {
    const grid = readTokenGrid([[9, 0, 5], [3, 2, 1]], SPEC);
    assert.deepEqual({ layers: grid.layers, frames: grid.frames, ids: [...grid.ids] }, { layers: 2, frames: 3, ids: [9, 0, 5, 3, 2, 1] });
    assert.deepEqual([...layerOf(grid, 1)], [3, 2, 1]);
    assert.deepEqual(gridToJson(grid), [[9, 0, 5], [3, 2, 1]]);
  });

  it('answers 400 with the field as param', () => {
    const { status, param } = refusal(() => readTokenGrid('x', SPEC));
    assert.deepEqual({ status, param }, { status: 400, param: 'codes' });
  });

  it('checks the shape before any id, so the bad row is named even when ids are also bad', () => {
    assert.equal(refusal(() => readTokenGrid([[99, 99], [99]], SPEC)).detail, 'codes[1]: has 1 frames, but codes[0] has 2; every layer needs the same number of frames');
  });

  it('bounds layers before reading rows and frames before comparing them', () => {
    assert.equal(refusal(() => readTokenGrid(new Array(1000).fill('not a row'), SPEC)).detail, 'codes: has 1000 layers; expected 2 to 3 (2 or 3 test layers)');
    assert.equal(refusal(() => readTokenGrid([new Array(6).fill(0), [0]], SPEC)).detail, 'codes: has 6 frames, more than the limit of 5 (a test limit)');
  });

  it('names each layer\'s own codebook and range', () => {
    assert.equal(refusal(() => readTokenGrid([[9, 10], [0, 0]], SPEC)).detail, 'codes[0][1]: id 10 is outside the first codebook (0..9)');
    assert.equal(refusal(() => readTokenGrid([[9, 9], [0, 4]], SPEC)).detail, 'codes[1][1]: id 4 is outside the other codebook (0..3)');
  });

  it('refuses ids that are not integers, whatever their type', () => {
    for (const bad of [1.5, '1', true, null, [1], { id: 1 }, Number.NaN]) {
      assert.match(refusal(() => readTokenGrid([[0, bad], [0, 0]], SPEC)).detail, /^codes\[0\]\[1\]: must be an integer id of the first codebook \(0\.\.9\); found /);
    }
  });

  it('shortens long values in messages', () => {
    assert.equal(refusal(() => readTokenGrid([['x'.repeat(100)], [0]], SPEC)).detail, `codes[0][0]: must be an integer id of the first codebook (0..9); found "${'x'.repeat(36)}...`);
  });
});

describe('checkSameFrames', () => {
  it('passes streams of equal length and names the one that differs', () => {
    const a = gridFromRows([[1, 2, 3]]);
    const b = gridFromRows([[1, 2, 3], [4, 5, 6]]);
    assert.equal(checkSameFrames([{ field: 'a', grid: a }, { field: 'b', grid: b }]), 3);
    const c = gridFromRows([[1, 2]]);
    assert.equal(refusal(() => checkSameFrames([{ field: 'a', grid: a }, { field: 'c', grid: c }])).detail, 'c: has 2 frames, but a has 3; every stream needs the same number of frames');
  });
});

describe('hop padding and trimming', () => {
  it('pads to whole hops, at least one, and leaves whole hops alone', () => {
    assert.deepEqual([padToHop(new Float32Array(0), 4).frames, padToHop(new Float32Array(0), 4).samples.length], [1, 4]);
    const padded = padToHop(Float32Array.of(1, 2, 3, 4, 5), 4);
    assert.deepEqual([padded.frames, [...padded.samples]], [2, [1, 2, 3, 4, 5, 0, 0, 0]]);
    const whole = Float32Array.of(1, 2, 3, 4);
    assert.equal(padToHop(whole, 4).samples, whole);
  });

  it('accepts exactly the lengths the frames encode', () => {
    checkLength('length', 5, 2, 4);
    checkLength('length', 8, 2, 4);
    assert.equal(refusal(() => checkLength('length', 4, 2, 4)).detail, 'length: is 4 samples, but 2 frames encode 5..8 samples (hop 4)');
    assert.equal(refusal(() => checkLength('length', 9, 2, 4)).detail, 'length: is 9 samples, but 2 frames encode 5..8 samples (hop 4)');
  });

  it('trims to the length when given', () => {
    assert.deepEqual([...trimTo(Float32Array.of(1, 2, 3), 2)], [1, 2]);
    assert.equal(trimTo(Float32Array.of(1, 2, 3), undefined).length, 3);
  });
});

describe('fields of a decode request', () => {
  it('finds a field at the top level or inside the encode response, and refuses two different values', () => {
    const source = makeFieldSource({ length: 5, frames: '2' }, 'tokens', { length: 5, frames: 2 }, ['length', 'frames', 'tokens']);
    assert.deepEqual(source.get('length'), { field: 'length', value: 5 });
    assert.deepEqual(source.get('frames'), { field: 'frames', value: '2' });
    assert.equal(source.get('tokens'), undefined);
    const nested = makeFieldSource({}, 'tokens', { length: 7 }, ['length']);
    assert.deepEqual(nested.get('length'), { field: 'tokens.length', value: 7 });
    const clash = makeFieldSource({ length: 6 }, 'tokens', { length: 7 }, ['length']);
    assert.equal(refusal(() => clash.get('length')).detail, 'length: differs from tokens.length in the same request; send it once');
  });

  it('compares metadata with what the model produces', () => {
    expectSame(undefined, 3, 'unused');
    expectSame({ field: 'x', value: 3 }, 3, 'unused');
    assert.equal(refusal(() => expectSame({ field: 'x', value: 4 }, 3, 'it must be 3')).detail, 'x: is 4; it must be 3');
  });

  it('reads a fixed-size vector of bounded finite numbers, from JSON text too', () => {
    assert.deepEqual([...readVector({ field: 'v', value: '[0.5, -2]' }, 2, 10)], [0.5, -2]);
    assert.equal(refusal(() => readVector({ field: 'v', value: [1, 2, 3] }, 2, 10)).detail, 'v: must hold 2 numbers; found 3');
    assert.equal(refusal(() => readVector({ field: 'v', value: [1, 11] }, 2, 10)).detail, 'v[1]: must be a number within ±10; found 11');
    assert.equal(refusal(() => readVector({ field: 'v', value: { a: 1 } }, 2, 10)).detail, 'v: must be an array of 2 numbers');
  });
});
