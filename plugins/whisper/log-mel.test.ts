import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { melSpectrogram } from '../../core/audio/dsp/mel-spectrogram.ts';
import { decodeArray, loadSpectra, maxAbsError, referenceSignal, type SignalSpec, type StoredArray } from '../../test/audio/support/reference-signals.ts';
import { melWindow, whisperMelOptions } from './log-mel.ts';

const cases = loadSpectra();

describe("Whisper's log-mel front end", () => {
  for (const nMels of [80, 128]) {
    it(`matches openai/whisper's log_mel_spectrogram (computed with torch) for ${nMels} bins`, () => {
      const reference = cases[`whisper_log_mel_${nMels}`]!;
      const mel = melSpectrogram(referenceSignal(reference.signal as SignalSpec), whisperMelOptions(nMels));
      assert.deepEqual([...mel.dims], (reference.expected as StoredArray).shape);
      assert.ok(maxAbsError(mel.data, decodeArray(reference.expected as StoredArray)) <= 1e-4, 'within 1e-4');
    });
  }

  it('gives 100 frames a second with the last STFT frame dropped', () => {
    const mel = melSpectrogram(new Float32Array(16000 * 3), whisperMelOptions(80));
    assert.deepEqual([...mel.dims], [80, 300]);
  });

  it('cuts 3000-frame windows, zero-padding past the end', () => {
    const mel = { data: Float32Array.from({ length: 2 * 4000 }, (_, i) => (i % 4000) + 1), dims: [2, 4000] as const };
    const window = melWindow(mel, 3500, 500);
    assert.equal(window.length, 2 * 3000);
    assert.deepEqual([window[0], window[499], window[500]], [3501, 4000, 0]);
    assert.deepEqual([window[3000], window[3499], window[3500]], [3501, 4000, 0]);
  });
});
