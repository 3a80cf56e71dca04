// Pitch shift in librosa's effects.pitch_shift semantics: stretch the duration by
// 2^(n/12) with the phase vocoder (n_fft 2048, hop 512), play it back 2^(n/12) faster by
// resampling from sr / rate to sr, and cut or zero-pad to the input's length.
// The resampler is the hub's torchaudio-semantics one (librosa's default is soxr); the
// source rate sr / rate is rounded to whole hertz, a pitch error under 0.05 cent at the
// rates in use.
//
// A range of the output can be made on its own (pitchShiftRange), bit for bit equal to that
// slice of the whole, so the audio toolkit splits a long signal over its workers
// (pitchShiftParts says where).
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

/**
 * What the steps before a part cost it, relative to one of its own: it must still transform
 * those input frames and advance the phases through them (no synthesis, no resampling).
 * Measured on 60 s at 24 kHz: about a third.
 */
const PREFIX_COST = 0.35;
/** Shorter signals are not split: a part's fixed costs (a job, a copy) would outweigh the gain. */
const MIN_PART_SECONDS = 4;

/**
 * Output ranges for `parts` threads that should finish together: each later part starts
 * with the prefix the earlier ones made, so it gets fewer samples of its own.
 */
export function pitchShiftParts(length: number, sampleRate: number, parts: number): SampleRange[] {
  const count = Math.max(1, Math.min(Math.floor(parts), Math.floor(length / (MIN_PART_SECONDS * sampleRate))));
  // Part k of own size C − α·s_k starting at s_k: s_{k+1} = (1 − α)·s_k + C, s_count = length.
  const keep = 1 - PREFIX_COST;
  const own = (length * PREFIX_COST) / (1 - Math.pow(keep, count));
  const ranges: SampleRange[] = [];
  for (let k = 0, start = 0; k < count; k++) {
    const end = k === count - 1 ? length : Math.round(keep * start + own);
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}
