// Pitch shift in librosa's effects.pitch_shift semantics: stretch the duration by
// 2^(n/12) with the phase vocoder (n_fft 2048, hop 512), play it back 2^(n/12) faster by
// resampling from sr / rate to sr, and cut or zero-pad to the input's length.
// The resampler is the hub's torchaudio-semantics one (librosa's default is soxr); the
// source rate sr / rate is rounded to whole hertz, a pitch error under 0.05 cent at the
// rates in use.
import { resampleToLength } from '../resample.ts';
import { phaseVocoderStretch } from './phase-vocoder.ts';

export function checkSemitones(semitones: number): void {
  if (!(semitones >= -24 && semitones <= 24)) throw new RangeError(`semitones must be within −24…+24, got ${semitones}`);
}

/** Same length, pitch × 2^(semitones/12). */
export function pitchShift(input: Float32Array, sampleRate: number, semitones: number): Float32Array {
  checkSemitones(semitones);
  if (semitones === 0) return input.slice();
  const rate = Math.pow(2, -semitones / 12);
  const stretched = phaseVocoderStretch(input, rate);
  return resampleToLength(stretched, Math.round(sampleRate / rate), sampleRate, input.length);
}
