// Time stretch by phase vocoder, in librosa's semantics (effects.time_stretch →
// core.phase_vocoder): STFT (periodic Hann, centred frames), frames read at steps of
// `rate` with magnitudes interpolated linearly between neighbours and phases advanced by
// each bin's measured phase difference between those neighbours, then the inverse STFT to
// round(n / rate) samples.
//
// librosa accumulates phase as φ += ω·hop + princarg(Δφ − ω·hop), which is φ += Δφ modulo
// 2π; so the accumulator is kept here as a unit phasor multiplied by each step's
// e^{iΔφ} = u₁·conj(u₀) (u: a frame's unit phasors), with no atan2, cos or sin per bin.
// Input frames are transformed when a step first needs them and output frames are
// synthesised as the overlap-add asks for them, so memory stays a few frames, not the
// whole spectrogram.
//
// A part of the output (`range`) is made from the steps whose frames reach it; the
// accumulator at the part's first step is brought there by the same products as the whole
// run, so parts are bit for bit slices of the whole and can run on separate threads.
import type { PadMode } from '../feature-types.ts';
import { overlapAdd, type SampleRange } from './istft.ts';
import { spectrumReader } from './stft.ts';

export interface PhaseVocoderOptions {
  /** Default 2048. */
  readonly nFft?: number;
  /** Default nFft/4. */
  readonly hop?: number;
  /** Default 'constant' (zeros), librosa ≥ 0.10's stft default. */
  readonly padMode?: PadMode;
}

/** One input frame: magnitudes and unit phasors (1 where the bin is exactly 0, as np.angle(0) = 0). */
interface Frame {
  readonly mag: Float64Array;
  readonly ur: Float64Array;
  readonly ui: Float64Array;
}

/** Output length round(n / rate) for rate > 1 shortening, < 1 lengthening; `range` makes only those output samples. */
export function phaseVocoderStretch(input: ArrayLike<number>, rate: number, options: PhaseVocoderOptions = {}, range?: SampleRange): Float32Array {
  if (!(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
  const { nFft = 2048, padMode = 'constant' } = options;
  const hop = options.hop ?? Math.floor(nFft / 4);
  const stftOptions = { nFft, hop, winLength: nFft, window: 'hann' as const, periodic: true, center: true, padMode };
  const reader = spectrumReader(input, stftOptions);
  const { frames, bins } = reader;
  const re = new Float64Array(bins), im = new Float64Array(bins);
  const newFrame = (): Frame & { t: number } => ({ t: -1, mag: new Float64Array(bins), ur: new Float64Array(bins), ui: new Float64Array(bins) });
  const zero: Frame = { mag: new Float64Array(bins), ur: new Float64Array(bins).fill(1), ui: new Float64Array(bins) };
  // Steps only move forward and each reads frames t and t + 1: two slots, by parity, hold them.
  const slots = [newFrame(), newFrame()];
  const frameAt = (t: number): Frame => {
    if (t >= frames) return zero; // librosa pads two zero frames past the end
    const frame = slots[t & 1]!;
    if (frame.t === t) return frame;
    reader.read(t, re, im);
    const { mag, ur, ui } = frame;
    for (let k = 0; k < bins; k++) {
      const x = re[k]!, y = im[k]!;
      const m = Math.sqrt(x * x + y * y); // Math.hypot is several times slower
      mag[k] = m;
      if (m > 0) {
        const inverse = 1 / m;
        ur[k] = x * inverse;
        ui[k] = y * inverse;
      } else (ur[k] = 1), (ui[k] = 0);
    }
    frame.t = t;
    return frame;
  };

  const steps = Math.ceil(frames / rate); // np.arange(0, frames, rate)
  const first = frameAt(0);
  const accR = Float64Array.from(first.ur), accI = Float64Array.from(first.ui);
  /** Phase advance of one step between frames a and b: acc · u_b · conj(u_a). */
  const advance = (a: Frame, b: Frame) => {
    const aR = a.ur, aI = a.ui, bR = b.ur, bI = b.ui;
    for (let k = 0; k < bins; k++) {
      const pr = accR[k]!, pi = accI[k]!;
      // e^{iΔφ} = u_b · conj(u_a). Its modulus is 1 up to rounding, so the accumulator is
      // renormalised by one Newton step for 1/√|z|² at 1, (3 − |z|²)/2: exact to O(ε²) and
      // no square root or division per bin and step, yet rounding cannot make the phasor drift.
      const ar = aR[k]!, ai = aI[k]!, br = bR[k]!, bi = bI[k]!;
      const dr = br * ar + bi * ai, di = bi * ar - br * ai;
      const nr = pr * dr - pi * di, ni = pr * di + pi * dr;
      const norm = 1.5 - 0.5 * (nr * nr + ni * ni);
      accR[k] = nr * norm;
      accI[k] = ni * norm;
    }
  };
  let done = 0; // steps whose phase advance is in the accumulator
  return overlapAdd(bins, steps, { ...stftOptions, length: Math.round(input.length / rate) }, (s, outRe, outIm) => {
    for (; done < s; done++) {
      const t0 = Math.floor(done * rate);
      advance(frameAt(t0), frameAt(t0 + 1));
    }
    const step = s * rate;
    const t0 = Math.floor(step), alpha = step - t0;
    const a = frameAt(t0), b = frameAt(t0 + 1);
    const aMag = a.mag, bMag = b.mag;
    for (let k = 0; k < bins; k++) {
      const m = (1 - alpha) * aMag[k]! + alpha * bMag[k]!;
      outRe[k] = m * accR[k]!;
      outIm[k] = m * accI[k]!;
    }
    advance(a, b);
    done = s + 1;
  }, range);
}
