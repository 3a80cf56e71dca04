// Where the audio toolkit cuts a long pitch shift into parts for its workers (each part is
// made by pitchShiftRange in pitch-shift.ts). Kept apart from the DSP: the main thread plans
// the parts, the workers alone load the phase vocoder and the resampler.
import type { SampleRange } from './istft.ts';

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
