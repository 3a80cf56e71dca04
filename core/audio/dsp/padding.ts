// Signal padding for framing: reflect (torch 'reflect', no edge repeat) or zeros.

export type PadMode = 'reflect' | 'constant';

/** Index into [0, n) reflecting at the edges without repeating them; bounces for long pads. */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

/**
 * `out.length` samples of x padded on both sides (reflected or zeros) from position `start`,
 * counted from x[0] (so negative before the signal): one frame at an edge without padding
 * the whole signal.
 */
export function paddedSlice(x: ArrayLike<number>, start: number, mode: PadMode, out: Float32Array | Float64Array): void {
  const n = x.length;
  for (let i = 0; i < out.length; i++) {
    const at = start + i;
    out[i] = at >= 0 && at < n ? x[at]! : mode === 'reflect' && n > 0 ? x[reflectIndex(at, n)]! : 0;
  }
}
