// One table for the element types a contract may name: how onnxruntime spells them, which
// typed array carries them across threads, and their ONNX TensorProto code.
import type { ElementType } from '../plugin/graph-contract.ts';
import type { TensorArray } from './graph-handle.ts';
import { ONNX_DATA_TYPE } from './onnx-proto.ts';

interface ElementInfo {
  /** onnxruntime-node's name (Tensor.Type). */
  readonly ort: string;
  readonly onnx: number;
  readonly array: new (length: number) => TensorArray;
  readonly arrayName: string;
}

export const ELEMENT_INFO: Readonly<Record<ElementType, ElementInfo>> = {
  float32: { ort: 'float32', onnx: ONNX_DATA_TYPE.float32, array: Float32Array, arrayName: 'Float32Array' },
  // Node 20 has no Float16Array: onnxruntime-node carries float16 as raw bits in a Uint16Array.
  float16: { ort: 'float16', onnx: ONNX_DATA_TYPE.float16, array: Uint16Array, arrayName: 'Uint16Array' },
  int64: { ort: 'int64', onnx: ONNX_DATA_TYPE.int64, array: BigInt64Array, arrayName: 'BigInt64Array' },
  int32: { ort: 'int32', onnx: ONNX_DATA_TYPE.int32, array: Int32Array, arrayName: 'Int32Array' },
  int8: { ort: 'int8', onnx: ONNX_DATA_TYPE.int8, array: Int8Array, arrayName: 'Int8Array' },
  uint8: { ort: 'uint8', onnx: ONNX_DATA_TYPE.uint8, array: Uint8Array, arrayName: 'Uint8Array' },
  bool: { ort: 'bool', onnx: ONNX_DATA_TYPE.bool, array: Uint8Array, arrayName: 'Uint8Array' },
};

const byOrtName = new Map(Object.entries(ELEMENT_INFO).map(([type, info]) => [info.ort, type as ElementType]));

/** The contract's element type for an onnxruntime type name, or undefined for types contracts cannot declare. */
export function elementTypeOfOrt(ortType: string): ElementType | undefined {
  return byOrtName.get(ortType);
}

/** Whether `data` is the typed array that carries `type`. */
export function carries(type: ElementType, data: unknown): boolean {
  return data instanceof ELEMENT_INFO[type].array;
}

export function arrayNameOf(data: unknown): string {
  return (data as object | null)?.constructor?.name ?? typeof data;
}
