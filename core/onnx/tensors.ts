// Building feeds from plain arrays and reading outputs back, for plugin code: ids travel
// as int64 (BigInt64Array), masks as bool (carried in a Uint8Array).
import type { TensorData } from './graph-handle.ts';

export function int64Tensor(values: ArrayLike<number>, dims: readonly number[]): TensorData {
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]!);
  return { type: 'int64', data, dims };
}

export function boolTensor(values: Uint8Array, dims: readonly number[]): TensorData {
  return { type: 'bool', data: Uint8Array.from(values, (v) => (v ? 1 : 0)), dims };
}

export function float32Tensor(data: Float32Array, dims: readonly number[]): TensorData {
  return { type: 'float32', data, dims };
}

/** Ids out of an int64 output, as plain numbers. */
export function idsOf(tensor: TensorData | undefined, what: string): Int32Array {
  if (!tensor || !(tensor.data instanceof BigInt64Array)) throw new Error(`${what}: expected an int64 tensor`);
  return Int32Array.from(tensor.data, (v) => Number(v));
}

export function floatsOf(tensor: TensorData | undefined, what: string): Float32Array {
  if (!tensor || !(tensor.data instanceof Float32Array)) throw new Error(`${what}: expected a float32 tensor`);
  return tensor.data;
}
