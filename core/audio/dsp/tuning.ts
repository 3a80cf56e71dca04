// Tuning estimation in librosa's semantics (estimate_tuning → piptrack → pitch_tuning):
// parabolic-interpolated peaks of a power spectrogram between 150 Hz and 4 kHz that rise
// above a tenth of their frame's maximum; of those at least as strong as their median, the
// most common deviation from the equal-tempered grid (a histogram with 0.01-bin resolution)
// is the tuning, in fractions of a bin. A chromagram built with it lines its bins up with
// the recording's own reference pitch.
import { hzToOctaves } from './chroma-filterbank.ts';

/** `power`: [frames][bins] power spectrogram of an nFft-point STFT (frame-major). */
export function estimateTuning(power: ArrayLike<number>, bins: number, frames: number, sampleRate: number, binsPerOctave: number): number {
  const found = piptrack(power, bins, frames, sampleRate);
  const voiced = found.pitches.flatMap((p, i) => (p > 0 ? [i] : []));
  if (voiced.length === 0) return 0;
  const pitches = voiced.map((i) => found.pitches[i]!), mags = voiced.map((i) => found.mags[i]!);
  const threshold = medianOf(mags);
  const chosen = pitches.filter((_, i) => mags[i]! >= threshold);
  return pitchTuning(chosen, binsPerOctave);
}

/** piptrack with fmin 150, fmax 4000, threshold 0.1: frequency and magnitude of each accepted peak (frames flattened). */
export function piptrack(S: ArrayLike<number>, bins: number, frames: number, sampleRate: number): { pitches: number[]; mags: number[] } {
  const nFft = 2 * (bins - 1);
  const fmin = 150, fmax = Math.min(4000, sampleRate / 2);
  const pitches: number[] = [], mags: number[] = [];
  const at = (k: number, t: number) => S[t * bins + k]!;
  // librosa visits peaks bin-major (np.nonzero on [bins][frames]); the median and the
  // histogram do not depend on the order, so frame-major is the same.
  for (let t = 0; t < frames; t++) {
    let frameMax = 0;
    for (let k = 0; k < bins; k++) frameMax = Math.max(frameMax, at(k, t));
    const ref = 0.1 * frameMax;
    const gated = (k: number): number => (at(k, t) > ref ? at(k, t) : 0);
    for (let k = 1; k < bins - 1; k++) {
      const hz = (k * sampleRate) / nFft;
      if (hz < fmin || hz >= fmax) continue;
      // util.localmax on S·(S > ref): strictly above the left neighbour, not below the right one.
      const g = gated(k);
      if (!(g > gated(k - 1) && g >= gated(k + 1))) continue;
      // np.gradient and librosa's parabolic-interpolation stencil (no shift past a neighbour).
      const avg = 0.5 * (at(k + 1, t) - at(k - 1, t));
      const curvature = at(k + 1, t) + at(k - 1, t) - 2 * at(k, t);
      const shift = Math.abs(avg) >= Math.abs(curvature) ? 0 : -avg / curvature;
      pitches.push(((k + shift) * sampleRate) / nFft);
      mags.push(at(k, t) + 0.5 * avg * shift);
    }
  }
  return { pitches, mags };
}

/** librosa.pitch_tuning at resolution 0.01: the left edge of the fullest histogram bin of deviations from the grid. */
export function pitchTuning(frequencies: number[], binsPerOctave: number): number {
  const f = frequencies.filter((x) => x > 0);
  if (f.length === 0) return 0;
  const nBins = 100;
  // np.linspace(−0.5, 0.5, 101): start + i·step, the last edge exactly 0.5.
  const edges = Float64Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? 0.5 : i * (1 / nBins) - 0.5));
  const counts = new Int32Array(nBins);
  for (const hz of f) {
    const octs = binsPerOctave * hzToOctaves(hz, 0, binsPerOctave);
    let residual = octs - Math.floor(octs);
    if (residual >= 0.5) residual -= 1;
    // np.histogram: bins closed on the left, the last also on the right.
    let lo = 0, hi = nBins;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (residual >= edges[mid]!) lo = mid;
      else hi = mid;
    }
    counts[lo]!++;
  }
  let best = 0;
  for (let i = 1; i < nBins; i++) if (counts[i]! > counts[best]!) best = i;
  return edges[best]!;
}

function medianOf(values: number[]): number {
  const sorted = Float64Array.from(values).sort(), mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : 0.5 * (sorted[mid - 1]! + sorted[mid]!);
}
