// Time stretch by phase vocoder, in librosa's semantics (effects.time_stretch →
// core.phase_vocoder): STFT (periodic Hann, centred frames), frames read at steps of
// `rate` with magnitudes interpolated linearly between neighbours and phases advanced by
// each bin's measured instantaneous frequency, then the inverse STFT to round(n / rate)
// samples.
import type { PadMode } from '../feature-types.ts';
import { overlapAdd } from './istft.ts';
import { forEachSpectrum, framing } from './stft.ts';

export interface PhaseVocoderOptions {
  /** Default 2048. */
  readonly nFft?: number;
  /** Default nFft/4. */
  readonly hop?: number;
  /** Default 'constant' (zeros), librosa ≥ 0.10's stft default. */
  readonly padMode?: PadMode;
}

/** rate > 1 shortens, < 1 lengthens; output length round(n / rate). */
export function phaseVocoderStretch(input: ArrayLike<number>, rate: number, options: PhaseVocoderOptions = {}): Float32Array {
  if (!(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
  const { nFft = 2048, padMode = 'constant' } = options;
  const hop = options.hop ?? Math.floor(nFft / 4);
  const stftOptions = { nFft, hop, winLength: nFft, window: 'hann' as const, periodic: true, center: true, padMode };
  // Magnitudes and phases of the input frames in float64 (a float32 spectrum's phase error
  // in weak bins accumulates along the frames), plus two zero frames past the end (np.pad).
  const bins = Math.floor(nFft / 2) + 1;
  const { frames } = framing(input, stftOptions);
  const mag = new Float64Array(bins * (frames + 2)), phase = new Float64Array(bins * (frames + 2));
  forEachSpectrum(input, stftOptions, (t, re, im) => {
    for (let k = 0; k < bins; k++) {
      mag[t * bins + k] = Math.hypot(re[k]!, im[k]!);
      phase[t * bins + k] = Math.atan2(im[k]!, re[k]!);
    }
  });
  const steps = Math.ceil(frames / rate); // np.arange(0, frames, rate)
  // Expected phase advance per hop of each bin's centre frequency: linspace(0, π·hop, bins).
  const advance = Float64Array.from({ length: bins }, (_, k) => (Math.PI * hop * k) / (bins - 1));
  const acc = phase.slice(0, bins);
  const outRe = new Float64Array(bins * steps), outIm = new Float64Array(bins * steps);
  for (let s = 0; s < steps; s++) {
    const step = s * rate;
    const t0 = Math.floor(step), alpha = step - t0;
    const a = t0 * bins, b = (t0 + 1) * bins;
    for (let k = 0; k < bins; k++) {
      const m = (1 - alpha) * mag[a + k]! + alpha * mag[b + k]!;
      outRe[s * bins + k] = m * Math.cos(acc[k]!);
      outIm[s * bins + k] = m * Math.sin(acc[k]!);
      let d = phase[b + k]! - phase[a + k]! - advance[k]!;
      d -= 2 * Math.PI * roundHalfEven(d / (2 * Math.PI));
      acc[k]! += advance[k]! + d;
    }
  }
  return overlapAdd(bins, steps, { ...stftOptions, length: Math.round(input.length / rate) }, (s, re, im) => {
    re.set(outRe.subarray(s * bins, (s + 1) * bins));
    im.set(outIm.subarray(s * bins, (s + 1) * bins));
  });
}

/** np.round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
