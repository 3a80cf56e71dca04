// The source's pitch track as noro_inference.py builds it:
//   1. get_f0_features_using_dio: WORLD DIO (f0 50–500 Hz, channels_in_octave 2, frame_period
//      1000·hop/sr = 12.5 ms, pyworld's defaults otherwise: speed 1, allowed_range 0.1) refined by
//      StoneMask (core/audio/dsp/world-f0.ts): len(wav)/hop + 1 frames.
//   2. interpolate(): unvoiced frames take np.interp over the voiced ones (edges hold); then
//      the first len(wav)//hop frames are kept.
//   3. (p − mean)/(std + 1e-6) over the clip, std unbiased (torch.std).
import { worldF0 } from '../../../core/audio/dsp/world-f0.ts';
import { NORO } from '../settings.ts';

/** F0 in Hz per 12.5 ms frame (len/200 + 1 frames, frame i at i·12.5 ms), 0 where unvoiced: pw.dio + pw.stonemask. */
export function trackF0(samples: Float32Array): Float32Array {
  const { floor, ceil, hop } = NORO.f0;
  return Float32Array.from(worldF0(samples, NORO.sampleRate, { f0Floor: floor, f0Ceil: ceil, framePeriod: (1000 * hop) / NORO.sampleRate, channelsInOctave: 2 }));
}

/** utils/f0.py interpolate(): unvoiced (0) frames get np.interp over the voiced ones; all-unvoiced stays 0. */
export function interpolateUnvoiced(f0: Float32Array): Float32Array {
  const voiced: number[] = [];
  f0.forEach((v, i) => v !== 0 && voiced.push(i));
  if (voiced.length === 0) return Float32Array.from(f0);
  const out = Float32Array.from(f0);
  let next = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== 0) continue;
    while (next < voiced.length && voiced[next]! < i) next++;
    const right = voiced[Math.min(next, voiced.length - 1)]!;
    const left = voiced[Math.max(next - 1, 0)]!;
    if (i <= voiced[0]!) out[i] = f0[voiced[0]!]!;
    else if (i >= voiced[voiced.length - 1]!) out[i] = f0[voiced[voiced.length - 1]!]!;
    else out[i] = f0[left]! + ((f0[right]! - f0[left]!) * (i - left)) / (right - left);
  }
  return out;
}

/** (p − p.mean()) / (p.std() + 1e-6), std with Bessel's correction as torch's default. */
export function standardise(values: Float32Array): Float32Array {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= Math.max(1, n);
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / Math.max(1, n - 1));
  return values.map((v) => (v - mean) / (std + 1e-6));
}

/** Steps 1–3 for a padded source of `frames` mel frames. */
export function pitchContour(paddedSource: Float32Array, frames: number): Float32Array {
  // interpolate(pitch_raw) runs on DIO's whole output; only then pitch_raw[:frame_num]
  return standardise(interpolateUnvoiced(trackF0(paddedSource)).subarray(0, frames));
}
