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
