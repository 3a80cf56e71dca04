// Joining the feeds of a batch along their batch axis and cutting the outputs back apart.
// The worker that owns the session does both, so the main thread never copies samples.
import type { TensorArray, TensorData } from './graph-handle.ts';

// An array of the same element type, made from the tensor's own constructor: this module runs
// in session workers, which must not load the element table (it pulls in the protobuf schema).
const like = (data: TensorArray, length: number): TensorArray => new (data.constructor as new (length: number) => TensorArray)(length);

/** Concatenates tensors along dim `at` (all other dims equal). */
export function concatAlong(tensors: readonly TensorData[], at: number): TensorData {
  const first = tensors[0]!;
  const outer = first.dims.slice(0, at).reduce((a, b) => a * b, 1);
  const inner = first.dims.slice(at + 1).reduce((a, b) => a * b, 1);
  const total = tensors.reduce((sum, t) => sum + t.dims[at]!, 0);
  const data = like(first.data, outer * total * inner);
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of tensors) {
      const block = t.dims[at]! * inner;
      (data as Float32Array).set((t.data as Float32Array).subarray(o * block, (o + 1) * block), offset);
      offset += block;
    }
  }
  return { type: first.type, data, dims: first.dims.map((d, i) => (i === at ? total : d)) };
}

/** Cuts a tensor along dim `at` into pieces of the given sizes. */
export function splitAlong(tensor: TensorData, at: number, sizes: readonly number[]): TensorData[] {
  const outer = tensor.dims.slice(0, at).reduce((a, b) => a * b, 1);
  const inner = tensor.dims.slice(at + 1).reduce((a, b) => a * b, 1);
  const total = tensor.dims[at]!;
  let start = 0;
  return sizes.map((size) => {
    const data = like(tensor.data, outer * size * inner);
    for (let o = 0; o < outer; o++) {
      const from = (o * total + start) * inner;
      (data as Float32Array).set((tensor.data as Float32Array).subarray(from, from + size * inner), o * size * inner);
    }
    start += size;
    return { type: tensor.type, data, dims: tensor.dims.map((d, i) => (i === at ? size : d)) };
  });
}
