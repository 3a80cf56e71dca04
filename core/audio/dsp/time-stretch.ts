// Tempo change without pitch change by WSOLA (Verhelst & Roelands 1993): overlap-add of
// Hann-windowed segments taken at speed × the output hop, each shifted within a small
// tolerance to the position that best continues the previous segment's waveform.
// (Pitch shift uses the phase vocoder instead: pitch-shift.ts.)
import { makeWindow } from './windows.ts';

export function checkSpeed(speed: number): void {
  if (!(speed >= 0.25 && speed <= 4)) throw new RangeError(`speed must be within 0.25–4.0, got ${speed}`);
}

/** Output length round(n / speed). Frame 40 ms, 50 % overlap, ±10 ms search. */
export function timeStretch(input: Float32Array, sampleRate: number, speed: number): Float32Array {
  checkSpeed(speed);
  const outLength = Math.round(input.length / speed);
  if (speed === 1) return input.slice();
  const frame = 2 * Math.max(8, Math.round((sampleRate * 0.02)));
  const hop = frame / 2;
  const tolerance = Math.max(4, Math.round(sampleRate * 0.01));
  const window = makeWindow('hann', frame, true);
  const out = new Float32Array(outLength + frame);
  const norm = new Float32Array(outLength + frame);
  const at = (i: number) => (i >= 0 && i < input.length ? input[i]! : 0);
  let previous = 0; // input position of the last segment copied
  for (let outPos = 0, k = 0; outPos < outLength; outPos += hop, k++) {
    const nominal = Math.round(k * hop * speed);
    let chosen = nominal;
    if (k > 0) {
      // The natural continuation of the previous segment, to be matched.
      const natural = previous + hop;
      chosen = bestOffset(input, natural, nominal, tolerance, frame, at);
    }
    for (let i = 0; i < frame; i++) {
      out[outPos + i]! += at(chosen + i) * window[i]!;
      norm[outPos + i]! += window[i]!;
    }
    previous = chosen;
  }
  const result = new Float32Array(outLength);
  for (let i = 0; i < outLength; i++) result[i] = norm[i]! > 1e-6 ? out[i]! / norm[i]! : 0;
  return result;
}

/** Position in [nominal − tolerance, nominal + tolerance] whose segment best matches the one at `natural`: coarse then fine cross-correlation. */
function bestOffset(input: Float32Array, natural: number, nominal: number, tolerance: number, frame: number, at: (i: number) => number): number {
  const score = (candidate: number, step: number) => {
    let sum = 0;
    for (let i = 0; i < frame; i += step) sum += at(natural + i) * at(candidate + i);
    return sum;
  };
  const coarse = 4;
  let best = nominal, bestScore = -Infinity;
  for (let d = -tolerance; d <= tolerance; d += coarse) {
    const s = score(nominal + d, coarse);
    if (s > bestScore) (bestScore = s), (best = nominal + d);
  }
  const centre = best;
  bestScore = -Infinity;
  for (let d = -coarse + 1; d < coarse; d++) {
    const s = score(centre + d, 1);
    if (s > bestScore) (bestScore = s), (best = centre + d);
  }
  return Math.max(-frame, Math.min(input.length, best));
}
