// The source's pitch track as noro_inference.py builds it, with one deviation:
//   1. F0 per 200-sample hop, 50–500 Hz, 0 where unvoiced. Amphion runs WORLD's DIO + StoneMask
//      (pyworld, channels_in_octave 2, frame_period 12.5 ms); the hub has no WORLD port yet
//      and tracks F0 with YIN (de Cheveigné & Kawahara 2002: cumulative-mean-normalised
//      difference, absolute threshold, parabolic refinement; the difference function by FFT
//      cross-correlation and prefix sums of squares) on the same frame grid — frame i
//      centred on sample i·200 — and the same range. Step 3 keeps only the contour's shape,
//      which both trackers follow; octave slips and voicing edges may differ.
//   2. interpolate(): unvoiced frames take np.interp over the voiced ones (edges hold).
//   3. (p − mean)/(std + 1e-6) over the clip, std unbiased (torch.std).
import { realFft } from '../../../core/audio/dsp/real-fft.ts';
import { NORO } from '../settings.ts';

export interface PitchOptions {
  readonly sampleRate: number;
  readonly hop: number;
  readonly floor: number;
  readonly ceil: number;
  /** Absolute threshold on the normalised difference. */
  readonly threshold?: number;
}

const DEFAULT: PitchOptions = { sampleRate: NORO.sampleRate, ...NORO.f0 };

/** F0 in Hz for `frames` frames (frame i centred on sample i·hop); 0 where unvoiced. */
export function trackF0(samples: Float32Array, frames: number, options: PitchOptions = DEFAULT): Float32Array {
  const { sampleRate, hop, floor, ceil } = options;
  const threshold = options.threshold ?? 0.15;
  const tauMin = Math.max(2, Math.floor(sampleRate / ceil));
  const tauMax = Math.ceil(sampleRate / floor);
  const window = tauMax + tauMin; // integration window: a little over the longest period
  const lags = tauMax + 2; // τ = 0 … τmax+1
  // the signal with zeros around it, so every frame's span [start, start + window + τmax + 1) is inside
  const margin = window;
  const x = new Float64Array(samples.length + 2 * margin + window + lags);
  for (let i = 0; i < samples.length; i++) x[margin + i] = samples[i]!;
  const squares = new Float64Array(x.length + 1); // prefix sums of x²
  for (let i = 0; i < x.length; i++) squares[i + 1] = squares[i]! + x[i]! * x[i]!;
  // Σ_j a_j·b_{j+τ} for all τ at once: irfft(rfft(b)·conj(rfft(a))), long enough not to wrap
  let size = 1;
  while (size < window + lags + window) size *= 2;
  const fft = realFft(size);
  const a = new Float64Array(size);
  const b = new Float64Array(size);
  const [aRe, aIm, bRe, bIm] = [0, 0, 0, 0].map(() => new Float64Array(fft.bins)) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const cross = new Float64Array(size);
  const cmnd = new Float64Array(lags);
  const f0 = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const start = margin + i * hop - (window >> 1);
    const energy = squares[start + window]! - squares[start]!;
    if (energy / window < 1e-8) continue; // silence: unvoiced
    a.fill(0);
    a.set(x.subarray(start, start + window));
    b.fill(0);
    b.set(x.subarray(start, start + window + lags));
    fft.forward(a, aRe, aIm);
    fft.forward(b, bRe, bIm);
    for (let k = 0; k < fft.bins; k++) {
      const re = bRe[k]! * aRe[k]! + bIm[k]! * aIm[k]!;
      const im = bIm[k]! * aRe[k]! - bRe[k]! * aIm[k]!;
      bRe[k] = re;
      bIm[k] = im;
    }
    fft.inverse(bRe, bIm, cross);
    // d(τ) = Σ a² + Σ b(τ)² − 2·cross(τ);  d'(τ) = d(τ)·τ / Σ_{k≤τ} d(k)
    let running = 0;
    cmnd[0] = 1;
    for (let tau = 1; tau < lags; tau++) {
      const shifted = squares[start + tau + window]! - squares[start + tau]!;
      const d = Math.max(0, energy + shifted - 2 * cross[tau]!);
      running += d;
      cmnd[tau] = running > 0 ? (d * tau) / running : 1;
    }
    let tau = -1;
    for (let t = tauMin; t <= tauMax; t++) {
      if (cmnd[t]! < threshold) {
        while (t + 1 <= tauMax && cmnd[t + 1]! < cmnd[t]!) t++;
        tau = t;
        break;
      }
    }
    if (tau < 0) continue;
    // parabolic interpolation around the minimum
    const [l, c, r] = [cmnd[tau - 1]!, cmnd[tau]!, cmnd[tau + 1]!];
    const bend = l - 2 * c + r;
    const refined = bend > 0 ? tau + (0.5 * (l - r)) / bend : tau;
    const hz = sampleRate / refined;
    if (hz >= floor && hz <= ceil) f0[i] = hz;
  }
  return f0;
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
  return standardise(interpolateUnvoiced(trackF0(paddedSource, frames)));
}
