import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHubError } from '../../core/errors.ts';
import { MEL_PRESETS } from '../mel-presets/presets.ts';
import { melOfArray } from './mel-input.ts';

const mel = MEL_PRESETS['vocoder-22k-80-fmax8k'];
const array = (shape: number[], fill = 0) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill) });

function refusal(shape: number[], fill = 0): { status: number; message: string } {
  try {
    melOfArray(array(shape, fill), mel, 'audio');
  } catch (error) {
    assert.ok(isHubError(error));
    return { status: error.status, message: error.message };
  }
  assert.fail('accepted');
}

describe('a mel given as an array', () => {
  it('is taken as [n_mels, frames] or [1, n_mels, frames]', () => {
    assert.deepEqual([melOfArray(array([80, 7]), mel, 'audio').frames, melOfArray(array([1, 80, 7]), mel, 'audio').nMels], [7, 80]);
  });

  it('with the wrong bins says what was expected and what was found', () => {
    assert.deepEqual(refusal([100, 50]), { status: 400, message: 'audio: mel must have 80 bins, shape [80, frames] or [1, 80, frames]; found [100, 50]' });
    assert.match(refusal([50, 80]).message, /found \[50, 80\] \(it looks transposed: frames first\)/);
  });

  it('of another rank or batch size is refused', () => {
    assert.match(refusal([2, 80, 5]).message, /^audio: mel must have shape \[80, frames\] or \[1, 80, frames\]; found \[2, 80, 5\]$/);
    assert.match(refusal([80 * 5]).message, /found \[400\]/);
  });

  it('with no frames, or non-finite values, is refused', () => {
    assert.match(refusal([80, 0]).message, /mel has no frames/);
    assert.match(refusal([80, 3], Number.NaN).message, /non-finite value \(NaN\) at bin 0, frame 0/);
  });

  it('longer than the duration limit is refused with 413', () => {
    const frames = Math.ceil((601 * mel.sampleRate) / mel.hop);
    assert.equal(refusal([80, frames]).status, 413);
  });
});
