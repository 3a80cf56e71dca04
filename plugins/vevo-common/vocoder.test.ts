// Vevo's Vocos head is Amphion's ISTFTHead with n_fft 1920, hop 480 and "same" padding: the
// head of MaskGCT's acoustic decoder. The inverse STFT itself is checked against torch once, by
// MaskGCT's test (plugins/maskgct/test/vocos-istft.test.ts, fixture make-vocos-istft.py);
// this test holds Vevo to exactly the settings that fixture was computed for.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { samePaddingIstft } from '../../core/audio/dsp/istft.ts';
import { VOCOS_ISTFT } from './vocoder.ts';

const FIXTURE = join(import.meta.dirname, '..', 'maskgct', 'test', 'fixtures', 'vocos-istft.json');
const reference = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { nFft: number; hop: number };

describe('Vevo vocoder inverse STFT', () => {
  it("runs with the settings of the torch fixture MaskGCT's ISTFT test checks", () => {
    assert.deepEqual(VOCOS_ISTFT, samePaddingIstft(reference.nFft, reference.hop));
  });
});
