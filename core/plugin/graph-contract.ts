// What a plugin declares about each ONNX graph it runs: file, tensor names, element types
// and dims. Its own module because the ONNX layer checks graphs against it and sits below
// the rest of the plugin contract (types.ts re-exports it for plugins).
export const ELEMENT_TYPES = ['float32', 'float16', 'int64', 'int32', 'int8', 'uint8', 'bool'] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

/** A dim is a fixed size, a named axis (`"frames"`), or an expression of named axes (`"frames*256"`). */
export type Dim = number | string;

export interface TensorContract {
  readonly name: string;
  readonly type: ElementType;
  readonly dims: readonly Dim[];
  /** For integer outputs that are ids: the vocabulary size, ids lie in [0, vocab). */
  readonly vocab?: number;
  readonly description?: string;
}

export interface GraphContract {
  /** File name inside the plugin's weight folder. */
  readonly file: string;
  readonly inputs: readonly TensorContract[];
  readonly outputs: readonly TensorContract[];
  readonly device?: 'gpu' | 'cpu';
  /** Expected resident memory once loaded, in MiB, when known. */
  readonly memoryMb?: number;
  readonly description?: string;
  /**
   * The axis along which independent requests may be stacked into one run (dynamic
   * batching): every output must have it, and items along it must not interact.
   */
  readonly batch?: { readonly axis: string };
}
