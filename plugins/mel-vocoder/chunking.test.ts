import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fadeIn, planPieces, sliceFrames, vocodeInPieces, type ChunkOptions, type Mel } from './chunking.ts';

/**
 * A stand-in generator with the property that matters for stitching: each output sample
 * depends on mel frames within `radius` of its own, and frames beyond the input's edges
 * read as zeros (as a convolution stack's padding does).
 */
function localGenerator(hop: number, radius: number) {
  return async (mel: Mel): Promise<Float32Array> => {
    const out = new Float32Array(mel.frames * hop);
    for (let f = 0; f < mel.frames; f++) {
      let sum = 0;
      for (let d = -radius; d <= radius; d++) {
        const g = f + d;
        if (g < 0 || g >= mel.frames) continue;
        for (let bin = 0; bin < mel.nMels; bin++) sum += mel.data[bin * mel.frames + g]! * (1 + bin) * (1 + Math.abs(d));
      }
      for (let s = 0; s < hop; s++) out[f * hop + s] = Math.sin(sum * 0.01 + s * 0.3);
    }
    return out;
  };
}

function randomMel(nMels: number, frames: number, seed = 1): Mel {
  let state = seed;
  const data = new Float32Array(nMels * frames);
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    data[i] = state / 2147483648 - 0.5;
  }
  return { data, nMels, frames };
}

/** The first `edge` samples at each end of an output made wrong, as a generator's edges are. */
function withBadEdges(generate: (mel: Mel) => Promise<Float32Array>, edge: number) {
  return async (mel: Mel) => {
    const out = await generate(mel);
    out.fill(1, 0, Math.min(edge, out.length));
    out.fill(-1, Math.max(0, out.length - edge));
    return out;
  };
}

const options: ChunkOptions = { hop: 16, chunkFrames: 40, contextFrames: 8, fadeFrames: 4 };

describe('planning pieces of a long mel', () => {
  it('tiles the frames with cores in order and clamps context at the edges', () => {
    const pieces = planPieces(130, options);
    assert.deepEqual(
      pieces.map((p) => [p.coreStart, p.coreEnd, p.inputStart, p.inputEnd]),
      [
        [0, 40, 0, 48],
        [40, 80, 32, 88],
        [80, 120, 72, 128],
        [120, 130, 112, 130],
      ],
    );
  });

  it('uses one piece, the whole mel, when it fits in a core', () => {
    assert.deepEqual(planPieces(40, options), [{ coreStart: 0, coreEnd: 40, inputStart: 0, inputEnd: 40 }]);
  });

  it('refuses a fade longer than the context it relies on', () => {
    assert.throws(() => planPieces(100, { ...options, fadeFrames: 10 }), /fadeFrames \(10\) must not exceed contextFrames \(8\)/);
  });
});

describe('stitching vocoded pieces', () => {
  it('fades with weights that sum to one across a seam', () => {
    // The outgoing piece weighs 1 - fadeIn(i); fadeIn is symmetric: fadeIn(i) + fadeIn(n-1-i) = 1.
    for (const n of [1, 2, 7, 64]) for (let i = 0; i < n; i++) assert.ok(Math.abs(fadeIn(i, n) + fadeIn(n - 1 - i, n) - 1) < 1e-12);
    assert.ok(fadeIn(0, 64) > 0 && fadeIn(63, 64) < 1);
  });

  it('reproduces the unchunked output when the context covers the generator reach', async () => {
    const mel = randomMel(5, 203);
    const generate = localGenerator(options.hop, 3);
    const whole = await generate(mel);
    const stitched = await vocodeInPieces(mel, options, generate);
    assert.equal(stitched.length, mel.frames * options.hop);
    let worst = 0;
    for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i]! - stitched[i]!));
    assert.ok(worst < 1e-6, `max difference ${worst}`);
  });

  it('discards the wrong edges of every piece, leaving no click at the seams', async () => {
    const mel = randomMel(3, 160, 7);
    const clean = localGenerator(options.hop, 2);
    const whole = await clean(mel);
    // Edges wrong over 3 frames' worth of samples: inside the 8-frame context minus half the fade.
    const stitched = await vocodeInPieces(mel, options, withBadEdges(clean, 3 * options.hop));
    // Only the mel's own two ends keep their (unavoidable) edge error.
    const edge = 3 * options.hop;
    for (let t = edge; t < whole.length - edge; t++) assert.ok(Math.abs(whole[t]! - stitched[t]!) < 1e-6, `sample ${t}`);
  });

  it('joins pieces that disagree with a smooth cross-fade instead of a step', async () => {
    // Each piece outputs a constant: its index. The seam must ramp, never jump by the full step.
    let calls = 0;
    const constant = async (mel: Mel) => new Float32Array(mel.frames * options.hop).fill(calls++);
    const stitched = await vocodeInPieces(randomMel(1, 120), options, constant);
    let largestJump = 0;
    for (let t = 1; t < stitched.length; t++) largestJump = Math.max(largestJump, Math.abs(stitched[t]! - stitched[t - 1]!));
    const fadeSamples = options.fadeFrames * options.hop;
    assert.ok(largestJump < 4 / fadeSamples, `largest jump ${largestJump}`);
    assert.equal(stitched[0], 0);
    assert.equal(stitched[stitched.length - 1], 2);
  });

  it('slices frames of every bin', () => {
    const mel: Mel = { data: Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]), nMels: 2, frames: 4 };
    assert.deepEqual([...sliceFrames(mel, 1, 3).data], [1, 2, 11, 12]);
  });

  it('stops between pieces when the call is aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const generate = async (mel: Mel) => {
      if (++calls === 2) controller.abort(new Error('client went away'));
      return new Float32Array(mel.frames * options.hop);
    };
    await assert.rejects(vocodeInPieces(randomMel(1, 200), options, generate, { signal: controller.signal }), /client went away/);
    assert.equal(calls, 2);
  });

  it('refuses a generator whose output length breaks the hop', async () => {
    const short = async (mel: Mel) => new Float32Array(mel.frames * options.hop - 1);
    await assert.rejects(vocodeInPieces(randomMel(1, 10), options, short), /expected 160 \(hop 16\)/);
  });
});
