// A tensor as plain data: what crosses into the session workers and back. Its own module so
// the graph handle and the resident-state layer can both name it without importing each other.
import type { ElementType } from '../plugin/graph-contract.ts';

export type TensorArray = Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;

export interface TensorData {
  readonly type: ElementType;
  readonly data: TensorArray;
  readonly dims: readonly number[];
}
