// Feeds for a contract with chosen axis sizes, filled deterministically from a seed.
import { evaluateDim, parseDim } from '../../../core/onnx/dim-expr.ts';
import type { TensorData } from '../../../core/onnx/graph-handle.ts';
import { ELEMENT_INFO } from '../../../core/onnx/tensor-types.ts';
import type { GraphContract } from '../../../core/plugin/types.ts';

export function feedsFor(contract: GraphContract, axes: Record<string, number>, seed = 1): Record<string, TensorData> {
  const sizes = new Map(Object.entries(axes));
  const feeds: Record<string, TensorData> = {};
  for (const input of contract.inputs) {
    const dims = input.dims.map((d) => {
      const size = evaluateDim(parseDim(d), sizes);
      if (size === undefined) throw new Error(`test feeds: no size for dim '${d}' of ${input.name}`);
      return size;
    });
    const count = dims.reduce((a, b) => a * b, 1);
    const data = new ELEMENT_INFO[input.type].array(count);
    for (let i = 0; i < count; i++) {
      const value = Math.sin(seed * 12.9898 + i * 78.233) * 0.8;
      if (data instanceof BigInt64Array) data[i] = BigInt(Math.floor(Math.abs(value) * 100));
      else if (input.type === 'bool') data[i] = value > 0 ? 1 : 0;
      else if (input.type === 'float16') data[i] = 0x3c00; // 1.0
      else if (data instanceof Float32Array) data[i] = value;
      else data[i] = Math.floor(Math.abs(value) * 100);
    }
    feeds[input.name] = { type: input.type, data, dims };
  }
  return feeds;
}
