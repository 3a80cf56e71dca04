// The shifted-source path (infer_vevosing_fm.py, use_shifted_src_to_extract_prosody=True):
//   f0 = extract_f0_hz(wav)            # Praat autocorrelation, 16 kHz, hop 256, 50–1100 Hz,
//                                      # unvoiced frames filled by np.interp (utils/f0.py interpolate)
//   steps = round(12 · log2(median(f0_ref) / median(f0_src)))   # numpy: half to even
//   chroma(pitch_shift(src24k, 24000, steps))                    # the chromagram only
// Audio with no voiced frame has no median: Amphion would divide by zero; here the client is
// told which upload had no pitch.
import { medianInterpolatedF0 } from '../../../core/audio/dsp/f0.ts';
import type { AudioToolkit } from '../../../core/audio/toolkit.ts';
import { errors } from '../../../core/errors.ts';
import { VEVOSING } from '../settings.ts';

/** librosa's pitch_shift as the hub's toolkit implements it takes at most two octaves either way. */
export const MAX_SHIFT_STEPS = 24;

/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** round(12 · log2(reference / source)): semitones that move the source's median F0 to the reference's. */
export function semitoneSteps(sourceF0: number, referenceF0: number): number {
  return roundHalfEven(12 * Math.log2(referenceF0 / sourceF0));
}

/** Median F0 (Hz) of a 16 kHz clip, unvoiced frames interpolated; 422 naming the field when nothing is voiced. */
export async function medianF0(audio: Pick<AudioToolkit, 'pitch'>, samples16k: Float32Array, field: string): Promise<number> {
  const { sampleRate, hop, fmin, fmax } = VEVOSING.f0;
  const track = await audio.pitch(samples16k, sampleRate, { hop, fmin, fmax });
  const median = medianInterpolatedF0(track);
  if (median === undefined || !(median > 0)) {
    throw errors.invalidValue(field, `no pitch was found (no voiced frame between ${fmin} and ${fmax} Hz), so use_shifted_src cannot match its key to the other clip; send voiced audio or use_shifted_src=false`);
  }
  return median;
}

export interface Shift {
  readonly steps: number;
  readonly sourceF0: number;
  readonly referenceF0: number;
}

/** The semitones to shift the content clip by, checked against the shifter's range. */
export async function sourceShift(audio: Pick<AudioToolkit, 'pitch'>, content16k: Float32Array, reference16k: Float32Array): Promise<Shift> {
  const sourceF0 = await medianF0(audio, content16k, 'content_audio');
  const referenceF0 = await medianF0(audio, reference16k, 'reference_audio');
  const steps = semitoneSteps(sourceF0, referenceF0);
  if (Math.abs(steps) > MAX_SHIFT_STEPS) {
    throw errors.invalidValue(
      'use_shifted_src',
      `content_audio (median F0 ${sourceF0.toFixed(1)} Hz) and reference_audio (${referenceF0.toFixed(1)} Hz) are ${steps} semitones apart; the shift is limited to ±${MAX_SHIFT_STEPS}: send use_shifted_src=false`,
    );
  }
  return { steps, sourceF0, referenceF0 };
}
