// Sample-rate conversion with the numbers of torchaudio.functional.resample (its defaults:
// Hann-windowed sinc, lowpass_filter_width 6, rolloff 0.99, rates reduced by their gcd),
// because the models' reference front ends resample with it and a model should see the
// input it was trained on. Output length is ceil(n · to / from), as torchaudio's.
//
// torchaudio convolves every output phase with a kernel of 2·width + orig taps, most of them
// zero; here each phase keeps only its non-zero span (≈ 2 · 6 · orig / base taps), which is
// what makes this fast enough to run on every upload in the audio workers.

export const LOWPASS_FILTER_WIDTH = 6;
export const ROLLOFF = 0.99;

export function resampledLength(frames: number, from: number, to: number): number {
  return Math.ceil((frames * to) / from);
}

export function checkRate(rate: number, what: string): void {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 768000) throw new RangeError(`${what} must be an integer from 1000 to 768000 Hz, got ${rate}`);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The polyphase filter bank: phase i's taps apply to input samples from `first[i]` on. */
interface PolyphaseKernel {
  /** Input samples one output period advances by (orig / gcd). */
  readonly stride: number;
  /** Output samples per period (new / gcd). */
  readonly phases: number;
  /** Taps per phase (the longest non-zero span; shorter phases are zero-filled). */
  readonly span: number;
  /** phases × span taps. */
  readonly taps: Float64Array;
  /** Offset of each phase's first tap from the period's first input sample (may be negative). */
  readonly first: Int32Array;
}

const kernels = new Map<string, PolyphaseKernel>();

function polyphaseKernel(from: number, to: number): PolyphaseKernel {
  const key = `${from}:${to}`;
  const cached = kernels.get(key);
  if (cached) return cached;
  const divisor = gcd(from, to);
  const orig = from / divisor, next = to / divisor;
  const base = Math.min(orig, next) * ROLLOFF;
  const scale = base / orig;
  // torchaudio's kernel for phase i at input offset d (samples from the period's start) is
  // f(base · (d / orig − i / next)), f(t) = sinc(πt) · cos²(πt / 12) for |t| < 6, else 0.
  const reach = (LOWPASS_FILTER_WIDTH * orig) / base;
  const first = new Int32Array(next);
  const last = new Int32Array(next);
  let span = 0;
  for (let i = 0; i < next; i++) {
    const centre = (i * orig) / next;
    first[i] = Math.floor(centre - reach) + 1;
    last[i] = Math.ceil(centre + reach) - 1;
    span = Math.max(span, last[i]! - first[i]! + 1);
  }
  const taps = new Float64Array(next * span);
  for (let i = 0; i < next; i++) {
    for (let s = 0; s < span; s++) {
      const d = first[i]! + s;
      const t = base * (d / orig - i / next);
      if (Math.abs(t) >= LOWPASS_FILTER_WIDTH) continue;
      const window = Math.cos((t * Math.PI) / LOWPASS_FILTER_WIDTH / 2) ** 2;
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
      taps[i * span + s] = sinc * window * scale;
    }
  }
  const kernel = { stride: orig, phases: next, span, taps, first };
  // Rates in use are few (16, 22.05, 24, 44.1, 48 kHz); bound the cache for odd ones anyway.
  if (kernels.size >= 32) kernels.delete(kernels.keys().next().value!);
  kernels.set(key, kernel);
  return kernel;
}

/** One channel from `from` Hz to `to` Hz; a copy when the rates are equal. */
export function resample(input: Float32Array, from: number, to: number): Float32Array {
  return resampleToLength(input, from, to, resampledLength(input.length, from, to));
}

/**
 * `resample` cut or zero-padded to `length` samples, computing only those: for callers that
 * fix the length anyway (pitch shift keeps its input's), with no second array and copy.
 */
export function resampleToLength(input: Float32Array, from: number, to: number, outputLength: number): Float32Array {
  return resampleSpan({ samples: input, offset: 0, length: input.length }, from, to, outputLength, 0, outputLength);
}

/** Samples [offset, offset + samples.length) of a signal of `length` samples. */
export interface SignalPart {
  readonly samples: Float32Array;
  readonly offset: number;
  readonly length: number;
}

/**
 * The input samples [start, end) that output samples [first, last) of resampling from
 * `from` to `to` Hz read (clamped to the signal: torchaudio's padding is zeros).
 */
export function resampleInputSpan(inputLength: number, from: number, to: number, first: number, last: number): { start: number; end: number } {
  if (from === to || last <= first) return { start: Math.min(first, inputLength), end: Math.min(Math.max(first, last), inputLength) };
  const { stride, phases, span, first: offsets } = polyphaseKernel(from, to);
  // A phase's first tap lies later the later the phase, and a period later than the last
  // phase's: the first output reads from the earliest sample, the last up to the latest.
  const origin = (n: number) => Math.floor(n / phases) * stride + offsets[n % phases]!;
  const start = origin(first), end = origin(last - 1) + span;
  return { start: Math.max(0, start), end: Math.min(inputLength, end) };
}

/**
 * Output samples [first, last) of `resample` cut or zero-padded to `outputLength`, from the
 * part of the input they read (see resampleInputSpan): the same numbers as the whole, so
 * parts can be made on separate threads.
 */
export function resampleSpan(part: SignalPart, from: number, to: number, outputLength: number, first: number, last: number): Float32Array {
  checkRate(from, 'source rate');
  checkRate(to, 'target rate');
  const output = new Float32Array(last - first);
  const length = Math.min(last, resampledLength(part.length, from, to));
  const { samples, offset } = part;
  const need = resampleInputSpan(part.length, from, to, first, length);
  if (need.start < offset || need.end > offset + samples.length) {
    throw new RangeError(`input samples ${need.start}..${need.end} are needed, ${offset}..${offset + samples.length} given`);
  }
  if (from === to) {
    if (length > first) output.set(samples.subarray(first - offset, length - offset));
    return output;
  }
  const { stride, phases, span, taps, first: offsets } = polyphaseKernel(from, to);
  // torchaudio pads with zeros on both sides. Outputs whose taps all fall inside the input
  // read it directly; only the few at either end read through a bounds check (the same
  // products summed in the same grouping, so the same result as a zero-padded copy, without
  // the copy). Indices below are into `samples` (signal index − offset).
  const low = -offset, high = part.length - offset; // the signal's ends, in samples' indices
  const last0 = high - span;
  const at = (i: number) => (i >= low && i < high ? samples[i]! : 0);
  let n = first;
  for (let period = Math.floor(first / phases), i = first % phases; n < length; period++, i = 0) {
    const origin = period * stride - offset;
    for (; i < phases && n < length; i++, n++) {
      let j = origin + offsets[i]!;
      let k = i * span;
      const end = k + span;
      let sum = 0;
      if (j >= low && j <= last0) {
        for (; k + 3 < end; k += 4, j += 4) {
          sum += taps[k]! * samples[j]! + taps[k + 1]! * samples[j + 1]! + taps[k + 2]! * samples[j + 2]! + taps[k + 3]! * samples[j + 3]!;
        }
        for (; k < end; k++, j++) sum += taps[k]! * samples[j]!;
      } else {
        for (; k + 3 < end; k += 4, j += 4) {
          sum += taps[k]! * at(j) + taps[k + 1]! * at(j + 1) + taps[k + 2]! * at(j + 2) + taps[k + 3]! * at(j + 3);
        }
        for (; k < end; k++, j++) sum += taps[k]! * at(j);
      }
      output[n - first] = sum;
    }
  }
  return output;
}

export function resampleChannels(channels: readonly Float32Array[], from: number, to: number): Float32Array[] {
  return channels.map((channel) => resample(channel, from, to));
}
