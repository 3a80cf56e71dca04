// Noro's TypeScript front end against the numbers Amphion's formulation gives in torch/numpy
// (scripts/reference/noro-fixtures.py): the padding rules, the reflect pad and the ×1.6
// nearest upsampling around the content graph, the reference mel, and the pitch contour's
// interpolation and standardisation; plus the F0 track (WORLD DIO + StoneMask, checked against
// WORLD's C++ in test/audio/world-f0.test.ts) on tones of known pitch.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { melSpectrogram } from '../../../core/audio/dsp/mel-spectrogram.ts';
import { hubertFrames } from '../../hubert/front-end.ts';
import { padToMultiple } from '../pipeline/clips.ts';
import { contentInput, upsampleNearest } from '../pipeline/content.ts';
import { interpolateUnvoiced, pitchContour, standardise, trackF0 } from '../pipeline/pitch.ts';
import { NORO } from '../settings.ts';

const fx = JSON.parse(readFileSync(new URL('./fixtures/front-end.json', import.meta.url), 'utf8')) as Record<string, any>;

function close(got: ArrayLike<number>, want: readonly number[], tolerance: number, what: string) {
  assert.equal(got.length, want.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  assert.ok(worst <= tolerance, `${what}: max difference ${worst} > ${tolerance}`);
}

const tone = (hz: number, seconds: number) => Float32Array.from({ length: Math.round(seconds * 16000) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / 16000));

describe('Noro front end', () => {
  it('pads the source to a multiple of 1600 and reflect-pads it by 40 for HuBERT, as torch does', () => {
    const padded = padToMultiple(Float32Array.from(fx.source), NORO.sourcePadMultiple);
    assert.equal(padded.length, fx.paddedLength);
    // a length already a multiple still gets a whole block, as np.pad(wav, (0, 1600 − 0)) does
    assert.equal(padToMultiple(new Float32Array(3200), 1600).length, 4800);
    const wave = contentInput(padded);
    assert.equal(wave.length, fx.reflectedLength);
    // S + 80 samples: HuBERT's conv front end gives exactly S/320 frames, the contract's samples/320
    assert.equal(hubertFrames(wave.length), padded.length / 320);
    close(wave.subarray(0, 60), fx.reflectedHead, 0, 'head');
    close(wave.subarray(wave.length - 60), fx.reflectedTail, 0, 'tail');
  });

  it('upsamples 50 Hz features to the 80 Hz mel rate as F.interpolate(scale_factor=1.6, mode="nearest")', () => {
    const { data, frames } = upsampleNearest(Float32Array.from(fx.features), 15, 4);
    assert.equal(frames, fx.upsampledFrames);
    close(data, fx.upsampled, 0, 'upsampled');
  });

  it('computes the reference mel as mel_spectrogram_torch (16 kHz, hop 200, win 800, 80 bins, ε 1e-6)', () => {
    const reference = padToMultiple(Float32Array.from(fx.reference), NORO.referencePadMultiple);
    assert.equal(reference.length, fx.refPaddedLength);
    const mel = melSpectrogram(reference, NORO.mel);
    assert.deepEqual(mel.dims, [80, fx.melFrames]);
    assert.equal(fx.melFrames, reference.length / NORO.hop);
    close(mel.data, fx.mel, 1e-4, 'mel');
  });

  it('fills unvoiced frames as np.interp and standardises with the unbiased std', () => {
    const interpolated = interpolateUnvoiced(Float32Array.from(fx.f0));
    close(interpolated, fx.interpolated, 1e-4, 'interpolated');
    close(standardise(interpolated), fx.standardised, 1e-5, 'standardised');
    assert.deepEqual([...interpolateUnvoiced(new Float32Array(4))], [0, 0, 0, 0]);
  });

  it('tracks the F0 of tones within 1 % at 12.5 ms frames, a sawtooth at its fundamental, and calls silence unvoiced', () => {
    for (const hz of [80, 150, 220, 410]) {
      const f0 = trackF0(tone(hz, 0.5));
      assert.equal(f0.length, 41);
      const inner = [...f0.subarray(3, 37)];
      assert.ok(inner.every((v) => Math.abs(v - hz) / hz < 0.01), `${hz} Hz: ${inner.slice(0, 5).map((v) => v.toFixed(1))}`);
    }
    assert.ok(trackF0(new Float32Array(8000)).every((v) => v === 0));
    // a 100 Hz sawtooth (every harmonic present) is 100 Hz, not one of its harmonics
    const saw = Float32Array.from({ length: 8000 }, (_, i) => 0.3 * (((i * 100) / 16000) % 1) - 0.15);
    assert.ok([...trackF0(saw).subarray(3, 37)].every((v) => Math.abs(v - 100) < 1));
  });

  it('gives a rising contour for a rising glide, standardised to mean 0', () => {
    const n = 16000;
    let phase = 0;
    const glide = Float32Array.from({ length: n }, (_, i) => {
      phase += (2 * Math.PI * (120 + (120 * i) / n)) / 16000;
      return 0.5 * Math.sin(phase);
    });
    const contour = pitchContour(padToMultiple(glide, 1600), 88);
    assert.equal(contour.length, 88);
    assert.ok(Math.abs(contour.reduce((s, v) => s + v, 0) / 88) < 1e-4);
    assert.ok(contour[70]! > contour[40]! && contour[40]! > contour[10]!);
  });
});
