// A small helper to write ONNX graphs node by node: unique intermediate names, constants
// as initializers, and the model spec that onnx-proto.ts encodes.
import { ATTRIBUTE_TYPE, ONNX_DATA_TYPE, type AttributeSpec, type ModelSpec, type NodeSpec, type TensorProtoSpec, type ValueInfoSpec } from './onnx-proto.ts';

export const attr = {
  int: (name: string, i: number): AttributeSpec => ({ name, type: ATTRIBUTE_TYPE.int, i }),
  float: (name: string, f: number): AttributeSpec => ({ name, type: ATTRIBUTE_TYPE.float, f }),
  ints: (name: string, ints: readonly number[]): AttributeSpec => ({ name, type: ATTRIBUTE_TYPE.ints, ints }),
  tensor: (name: string, t: TensorProtoSpec): AttributeSpec => ({ name, type: ATTRIBUTE_TYPE.tensor, t }),
};

const bytesOf = (array: Float32Array | BigInt64Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

export function floatTensor(name: string, values: readonly number[], dims: readonly number[] = [values.length]): TensorProtoSpec {
  return { name, dataType: ONNX_DATA_TYPE.float32, dims, rawData: bytesOf(Float32Array.from(values)) };
}

export function int64Tensor(name: string, values: readonly number[], dims: readonly number[] = [values.length]): TensorProtoSpec {
  return { name, dataType: ONNX_DATA_TYPE.int64, dims, rawData: bytesOf(BigInt64Array.from(values.map(BigInt))) };
}

export interface GraphBuilder {
  input(value: ValueInfoSpec): string;
  output(value: ValueInfoSpec): void;
  /** Adds a node; returns its (first) output name, `as` when given. */
  node(opType: string, inputs: readonly string[], attributes?: readonly AttributeSpec[], as?: string): string;
  /** A float32 constant; a scalar unless dims are given. */
  float(values: number | readonly number[], dims?: readonly number[]): string;
  /** An int64 constant; a 1-D tensor unless dims are given. */
  int64(values: readonly number[], dims?: readonly number[]): string;
  initializer(tensor: TensorProtoSpec): string;
  build(options: { graphName: string; opset: number; metadata?: Record<string, string>; docString?: string }): ModelSpec;
}

export function makeGraphBuilder(prefix = '_t'): GraphBuilder {
  const nodes: NodeSpec[] = [];
  const initializers: TensorProtoSpec[] = [];
  const inputs: ValueInfoSpec[] = [];
  const outputs: ValueInfoSpec[] = [];
  let counter = 0;
  const fresh = (hint: string) => `${prefix}${counter++}_${hint}`;

  const builder: GraphBuilder = {
    input(value) {
      inputs.push(value);
      return value.name;
    },
    output(value) {
      outputs.push(value);
    },
    node(opType, input, attribute = [], as) {
      const output = as ?? fresh(opType.toLowerCase());
      nodes.push({ opType, input, output: [output], attribute });
      return output;
    },
    float(values, dims) {
      const list = typeof values === 'number' ? [values] : values;
      return builder.initializer(floatTensor(fresh('f'), list, dims ?? (typeof values === 'number' ? [] : [list.length])));
    },
    int64(values, dims) {
      return builder.initializer(int64Tensor(fresh('i'), values, dims));
    },
    initializer(tensor) {
      initializers.push(tensor);
      return tensor.name;
    },
    build: (options) => ({ ...options, nodes, initializers, inputs, outputs }),
  };
  return builder;
}
