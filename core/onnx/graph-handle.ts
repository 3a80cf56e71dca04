// The only view of an ONNX graph a plugin gets. Tensors are plain objects so they can
// cross into the worker threads that own the sessions.
import type { ElementType, GraphContract } from '../plugin/types.ts';

export type TensorArray = Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;

export interface TensorData {
  readonly type: ElementType;
  readonly data: TensorArray;
  readonly dims: readonly number[];
}

export interface RunOptions {
  readonly signal?: AbortSignal;
}

export interface GraphHandle {
  readonly name: string;
  readonly contract: GraphContract;
  run(feeds: Readonly<Record<string, TensorData>>, options?: RunOptions): Promise<Record<string, TensorData>>;
}
