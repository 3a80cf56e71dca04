// Log compression and mean/variance normalisation of feature matrices, in place.
import type { LogCompression, Normalization } from '../feature-types.ts';

export function compressLog(data: Float32Array, log: LogCompression): void {
  const { type, floor, dynamicRange, offset = 0, scale = 1 } = log;
  if (!(floor > 0)) throw new RangeError(`log floor must be positive, got ${floor}`);
  const toLog = type === 'ln' ? Math.log : Math.log10;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = toLog(Math.max(data[i]!, floor));
    data[i] = v;
    if (v > max) max = v;
  }
  const bottom = dynamicRange === undefined ? -Infinity : max - dynamicRange;
  for (let i = 0; i < data.length; i++) data[i] = (Math.max(data[i]!, bottom) + offset) * scale;
}

/** Undoes `compressLog` (values clipped by the floor or the dynamic range stay clipped). */
export function expandLog(data: Float32Array, log: LogCompression): void {
  const { type, offset = 0, scale = 1 } = log;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]! / scale - offset;
    data[i] = type === 'ln' ? Math.exp(v) : Math.pow(10, v);
  }
}

const at = (value: number | readonly number[], i: number): number => (typeof value === 'number' ? value : value[i]!);

/**
 * Normalises a matrix whose `binAxis` (0: rows, 1: columns) holds the feature bins:
 * (x − mean)/std with given statistics, or per bin over this utterance with
 * (x − mean)/sqrt(var + ε) and var of ddof 0 or 1.
 */
export function normalize(data: Float32Array, dims: readonly [number, number], binAxis: 0 | 1, how: Normalization): void {
  const [rows, cols] = dims;
  const bins = binAxis === 0 ? rows : cols;
  const count = binAxis === 0 ? cols : rows;
  const index = (bin: number, j: number) => (binAxis === 0 ? bin * cols + j : j * cols + bin);
  for (let b = 0; b < bins; b++) {
    let mean: number, std: number;
    if ('perBin' in how) {
      let sum = 0;
      for (let j = 0; j < count; j++) sum += data[index(b, j)]!;
      mean = count ? sum / count : 0;
      let squares = 0;
      for (let j = 0; j < count; j++) squares += (data[index(b, j)]! - mean) ** 2;
      const ddof = how.ddof ?? 1;
      const variance = count > ddof ? squares / (count - ddof) : 0;
      std = Math.sqrt(variance + (how.epsilon ?? 1e-7));
    } else {
      mean = at(how.mean, b);
      std = at(how.std, b);
      if (!(std > 0)) throw new RangeError(`normalisation std must be positive (bin ${b}: ${std})`);
    }
    for (let j = 0; j < count; j++) data[index(b, j)] = (data[index(b, j)]! - mean) / std;
  }
}

export function denormalize(data: Float32Array, dims: readonly [number, number], binAxis: 0 | 1, how: Normalization): void {
  if ('perBin' in how) throw new RangeError('per-utterance normalisation cannot be undone: pass the statistics');
  const [rows, cols] = dims;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const b = binAxis === 0 ? r : c;
      data[r * cols + c] = data[r * cols + c]! * at(how.std, b) + at(how.mean, b);
    }
  }
}
