// Pitch shift in librosa's effects.pitch_shift semantics: stretch the duration by
// 2^(n/12) with the phase vocoder (n_fft 2048, hop 512), play it back 2^(n/12) faster by
// resampling from sr / rate to sr, and cut or zero-pad to the input's length.
// The resampler is the hub's torchaudio-semantics one (librosa's default is soxr); the
// source rate sr / rate is rounded to whole hertz, a pitch error under 0.05 cent at the
// rates in use.
//
// A range of the output can be made on its own (pitchShiftRange), bit for bit equal to that
// slice of the whole, so the audio toolkit splits a long signal over its workers
// (pitch-shift-parts.ts says where).
import type { SampleRange } from './istft.ts';
import { resampledLength, resampleInputSpan, resampleSpan } from '../resample.ts';
import { phaseVocoderStretch } from './phase-vocoder.ts';

export function checkSemitones(semitones: number): void {
  if (!(semitones >= -24 && semitones <= 24)) throw new RangeError(`semitones must be within −24…+24, got ${semitones}`);
}

/** Same length, pitch × 2^(semitones/12). */
export function pitchShift(input: Float32Array, sampleRate: number, semitones: number): Float32Array {
  return pitchShiftRange(input, sampleRate, semitones, { start: 0, end: input.length });
}

/** Samples [start, end) of `pitchShift(input, …)`, computing only what they need. */
export function pitchShiftRange(input: Float32Array, sampleRate: number, semitones: number, range: SampleRange): Float32Array {
  checkSemitones(semitones);
  const { start, end } = range;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= input.length)) {
    throw new RangeError(`range ${start}..${end} is not within 0..${input.length}`);
  }
  if (semitones === 0) return input.slice(start, end);
  const rate = Math.pow(2, -semitones / 12);
  const from = Math.round(sampleRate / rate);
  const stretchedLength = Math.round(input.length / rate);
  const last = Math.max(start, Math.min(end, resampledLength(stretchedLength, from, sampleRate)));
  const need = resampleInputSpan(stretchedLength, from, sampleRate, start, last);
  const stretched = phaseVocoderStretch(input, rate, {}, need);
  return resampleSpan({ samples: stretched, offset: need.start, length: stretchedLength }, from, sampleRate, input.length, start, end);
}
