// The test signals of scripts/reference/make-fixtures.py, computed again here so the
// fixtures need not store them: a chirp, a 1 kHz burst and LCG noise.
import { readFileSync } from 'node:fs';

export function lcgNoise(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let state = BigInt(seed);
  for (let i = 0; i < n; i++) {
    state = (1664525n * state + 1013904223n) % 4294967296n;
    out[i] = Number(state) / 2147483648 - 1;
  }
  return out;
}

export interface SignalSpec {
  readonly sampleRate: number;
  readonly length: number;
  readonly seed: number;
}

export function referenceSignal({ sampleRate, length, seed }: SignalSpec): Float32Array {
  const seconds = length / sampleRate;
  const noise = lcgNoise(length, seed);
  const f0 = 80, f1 = sampleRate * 0.4;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    const chirp = Math.sin(2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * seconds)));
    const burst = t > seconds / 3 ? 0.3 * Math.sin(2 * Math.PI * 1000 * t) : 0;
    out[i] = 0.5 * chirp + burst + 0.05 * noise[i]!;
  }
  return out;
}

export interface StoredArray {
  readonly shape: number[];
  readonly base64: string;
}

export function decodeArray(stored: StoredArray): Float32Array {
  const bytes = Buffer.from(stored.base64, 'base64');
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

export type ReferenceCase = { params?: Record<string, number | string | boolean>; signal?: SignalSpec } & Record<string, unknown>;

export function loadSpectra(): Record<string, ReferenceCase> {
  const path = new URL('../fixtures/spectra.json', import.meta.url);
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: Record<string, ReferenceCase> }).cases;
}

export function maxAbsError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ expected ${expected.length}`);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i]! - expected[i]!));
  return max;
}

export interface SungSpec {
  readonly sampleRate: number;
  readonly length: number;
  readonly f0: number;
  readonly f1: number;
  readonly seed: number;
}

/**
 * scripts/reference/pitch-chroma-fixtures.py `sung`: harmonics 1..8 (amplitude 1/h) of a
 * tone gliding f0 → f1 with a 5.5 Hz, ±3 % vibrato, silent over [45 %, 55 %), LCG noise over
 * the last 20 %, quantised to 16 bits.
 */
export function sungSignal({ sampleRate, length, f0, f1, seed }: SungSpec): Float32Array {
  const seconds = length / sampleRate, depth = 0.03 * f0;
  const noise = lcgNoise(length, seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    const phase = 2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * seconds)) + (depth / 5.5) * (1 - Math.cos(2 * Math.PI * 5.5 * t));
    let x = 0;
    for (let h = 1; h <= 8; h++) x += Math.sin(h * phase) / h;
    x *= 0.3;
    if (t >= 0.45 * seconds && t < 0.55 * seconds) x = 0;
    if (t >= 0.8 * seconds) x = 0.1 * noise[i]!;
    out[i] = Math.min(32767, Math.max(-32768, Math.round(x * 32768))) / 32768;
  }
  return out;
}
