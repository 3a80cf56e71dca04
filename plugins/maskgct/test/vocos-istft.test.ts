// The inverse STFT the decode step runs on the Vocos head's spectrum, against torch
// (fixtures/make-vocos-istft.py follows vocos.py's "same"-padding ISTFT).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { istft } from '../../../core/audio/dsp/istft.ts';
import { VOCOS_ISTFT } from '../pipeline/decode.ts';

const reference = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'vocos-istft.json'), 'utf8')) as {
  nFft: number; hop: number; frames: number; length: number; every: number; samples: number[]; energy: number;
};

/** The fixture's spectrum: mag e^(−k/200)(1 + t/10), phase 0.37k(t + 1) + ½ sin(0.011k²), in float32. */
function spectrum(bins: number, frames: number) {
  const re = new Float32Array(bins * frames), im = new Float32Array(bins * frames);
  for (let k = 0; k < bins; k++) {
    for (let t = 0; t < frames; t++) {
      const mag = Math.exp(-k / 200) * (1 + 0.1 * t);
      const phase = 0.37 * k * (t + 1) + 0.5 * Math.sin(0.011 * k * k);
      re[k * frames + t] = mag * Math.cos(phase);
      im[k * frames + t] = mag * Math.sin(phase);
    }
  }
  return { re, im, dims: [bins, frames] as const };
}

describe('the Vocos inverse STFT of the decode step', () => {
  it('uses n_fft 1920, hop 480 and "same" padding', () => {
    assert.equal(VOCOS_ISTFT.nFft, reference.nFft);
    assert.equal(VOCOS_ISTFT.hop, reference.hop);
    assert.equal(VOCOS_ISTFT.pad, 720);
  });

  it('gives frames × 480 samples equal to torch\'s fold-based ISTFT', () => {
    const audio = istft(spectrum(VOCOS_ISTFT.nFft / 2 + 1, reference.frames), VOCOS_ISTFT);
    assert.equal(audio.length, reference.frames * reference.hop);
    assert.equal(audio.length, reference.length);
    reference.samples.forEach((expected, i) => {
      const actual = audio[i * reference.every]!;
      assert.ok(Math.abs(actual - expected) < 1e-6, `sample ${i * reference.every}: ${actual} vs torch ${expected}`);
    });
    const energy = audio.reduce((sum, v) => sum + v * v, 0);
    assert.ok(Math.abs(energy - reference.energy) < 1e-6 * reference.energy + 1e-9, `energy ${energy} vs torch ${reference.energy}`);
  });
});
