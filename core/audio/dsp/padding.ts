// Signal padding before framing: reflect (torch 'reflect', no edge repeat) or zeros.

export type PadMode = 'reflect' | 'constant';

/** Index into [0, n) reflecting at the edges without repeating them; bounces for long pads. */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

export function padSignal(x: ArrayLike<number>, left: number, right: number, mode: PadMode): Float64Array {
  const n = x.length;
  const out = new Float64Array(left + n + right);
  for (let i = 0; i < n; i++) out[left + i] = x[i]!;
  if (mode === 'reflect' && n > 0) {
    for (let i = 0; i < left; i++) out[i] = x[reflectIndex(i - left, n)]!;
    for (let i = 0; i < right; i++) out[left + n + i] = x[reflectIndex(n + i, n)]!;
  }
  return out;
}

/**
 * `out.length` samples of padSignal(x, left, …, mode) from position `start` of the padded
 * signal, counting from x[0] (so start may be negative): one frame at an edge without
 * padding the whole signal.
 */
export function paddedSlice(x: ArrayLike<number>, start: number, mode: PadMode, out: Float32Array | Float64Array): void {
  const n = x.length;
  for (let i = 0; i < out.length; i++) {
    const at = start + i;
    out[i] = at >= 0 && at < n ? x[at]! : mode === 'reflect' && n > 0 ? x[reflectIndex(at, n)]! : 0;
  }
}
