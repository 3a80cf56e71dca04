// Top-k filtering of logits (`top_k(logits, filter_thres)` in maskgct_t2s.py): only the
// k most likely ids of each position may be sampled; the rest get probability zero.

/** k for a filter threshold as the original computes it: ceil((1 - thres) · vocab). 0.98 keeps 164 of 8192, 21 of 1024. */
export function topKCount(vocab: number, filterThreshold: number): number {
  return Math.max(1, Math.ceil((1 - filterThreshold) * vocab));
}

/** The ids a position may take and their logits, most likely first (ties: lower id first). */
export interface Candidates {
  readonly ids: Int32Array;
  readonly logits: Float32Array;
}

const valueOf = (x: number) => (Number.isNaN(x) ? -Infinity : x);

/**
 * The k largest logits of one row. A size-k min-heap whose root is the weakest kept entry
 * (smallest value, and among equal values the highest id), so that ties keep lower ids as
 * `argmax` does. O(V log k): for 8192 ids and k = 164 about 60 k comparisons per position.
 */
export function topKCandidates(row: ArrayLike<number>, k: number): Candidates {
  const size = Math.min(k, row.length);
  const heapIds = new Int32Array(size);
  const heapValues = new Float64Array(size);
  // a is weaker than b when it has the smaller value, or the same value and the higher id
  const weaker = (a: number, b: number) => heapValues[a]! < heapValues[b]! || (heapValues[a] === heapValues[b] && heapIds[a]! > heapIds[b]!);
  const swap = (a: number, b: number) => {
    const id = heapIds[a]!, value = heapValues[a]!;
    heapIds[a] = heapIds[b]!; heapValues[a] = heapValues[b]!;
    heapIds[b] = id; heapValues[b] = value;
  };
  const siftDown = (from: number, count: number) => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1, right = left + 1;
      let weakest = i;
      if (left < count && weaker(left, weakest)) weakest = left;
      if (right < count && weaker(right, weakest)) weakest = right;
      if (weakest === i) return;
      swap(i, weakest);
      i = weakest;
    }
  };
  for (let id = 0; id < size; id++) {
    heapIds[id] = id;
    heapValues[id] = valueOf(row[id]!);
  }
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i, size);
  for (let id = size; id < row.length; id++) {
    const value = valueOf(row[id]!);
    // strictly greater: an equal value with a higher id loses to the kept lower id
    if (value > heapValues[0]!) {
      heapIds[0] = id;
      heapValues[0] = value;
      siftDown(0, size);
    }
  }
  // Heap sort: repeatedly move the weakest to the end, leaving strongest first.
  for (let end = size - 1; end > 0; end--) {
    swap(0, end);
    siftDown(0, end);
  }
  return { ids: heapIds, logits: Float32Array.from(heapValues) };
}

/** The original's view of the same filter: the row with every id outside the top k set to -Infinity. */
export function topKFilter(row: ArrayLike<number>, k: number): Float32Array {
  const { ids, logits } = topKCandidates(row, k);
  const filtered = new Float32Array(row.length).fill(-Infinity);
  ids.forEach((id, i) => (filtered[id] = logits[i]!));
  return filtered;
}
