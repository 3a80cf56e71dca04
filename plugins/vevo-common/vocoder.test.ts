// The vocoder's inverse STFT, against torch: Vevo's Vocos head is Amphion's ISTFTHead with n_fft
// 1920, hop 480, "same" padding — the head of MaskGCT's acoustic decoder, so MaskGCT's torch
// fixture (plugins/maskgct/test/fixtures/make-vocos-istft.py) checks these settings too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { istft } from '../../core/audio/dsp/istft.ts';
import { VOCOS_ISTFT } from './vocoder.ts';

const FIXTURE = join(import.meta.dirname, '..', 'maskgct', 'test', 'fixtures', 'vocos-istft.json');
const reference = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { nFft: number; hop: number; frames: number; every: number; samples: number[]; energy: number };

/** The fixture's spectrum: mag e^(−k/200)(1 + t/10), phase 0.37k(t + 1) + ½ sin(0.011k²). */
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

describe('Vevo vocoder inverse STFT', () => {
  it('gives frames × 480 samples equal to torch\'s "same"-padding ISTFT', () => {
    assert.equal(VOCOS_ISTFT.nFft, reference.nFft);
    assert.equal(VOCOS_ISTFT.hop, reference.hop);
    const audio = istft(spectrum(VOCOS_ISTFT.nFft / 2 + 1, reference.frames), VOCOS_ISTFT);
    assert.equal(audio.length, reference.frames * 480);
    reference.samples.forEach((expected, i) => assert.ok(Math.abs(audio[i * reference.every]! - expected) < 1e-6, `sample ${i * reference.every}`));
    const energy = audio.reduce((sum, v) => sum + v * v, 0);
    assert.ok(Math.abs(energy - reference.energy) < 1e-6 * reference.energy + 1e-9);
  });
});
