// Smoke graphs for contracts that mark a batch axis (dynamic batching): the summary that
// drives every output is computed per item along the axis, and each output varies only
// along its own item's elements, so a batched run slices back to exactly the unbatched ones.
// The batch axis must lead every tensor that has it; other contracts keep the plain form.
import type { GraphContract, TensorContract } from '../plugin/graph-contract.ts';
import { parseDim } from './dim-expr.ts';
import { attr, type GraphBuilder } from './graph-builder.ts';
import { dimTensor, type axisSources } from './smoke-dims.ts';
import { ELEMENT_INFO } from './tensor-types.ts';

const FLOAT = ELEMENT_INFO.float32.onnx;

export function batchedSmoke(contract: GraphContract) {
  const axis = contract.batch?.axis;
  if (!axis) return undefined;
  const leads = (t: TensorContract) => t.dims[0] === axis;
  const has = (t: TensorContract) => t.dims.includes(axis);
  // Only the leading position is supported here; elsewhere, fall back to the plain smoke graph.
  if (![...contract.inputs, ...contract.outputs].every((t) => !has(t) || leads(t)) || !contract.outputs.every(leads) || !contract.inputs.some(leads)) return undefined;

  return {
    /** s[b] = 3/n · Σᵢ sin((i+1)·0.37·mean(xᵢ[b]) + 0.23·mean(xᵢ[b]²)); inputs without the axis add the same term to every item. */
    summary(g: GraphBuilder): string {
      let total: string | undefined;
      contract.inputs.forEach((input, i) => {
        const x = input.type === 'float32' ? input.name : g.node('Cast', [input.name], [attr.int('to', FLOAT)]);
        // [B, …] → [B, N] (a whole tensor without the axis is one row)
        const flat = g.node('Reshape', [x, g.int64(leads(input) ? [0, -1] : [1, -1])]);
        const count = g.node('Max', [g.node('Cast', [g.node('Shape', [flat], [attr.int('start', 1), attr.int('end', 2)])], [attr.int('to', FLOAT)]), g.float(1)]);
        const mean = g.node('Div', [g.node('ReduceSum', [flat, g.int64([1])], [attr.int('keepdims', 0)]), count]);
        const power = g.node('Div', [g.node('ReduceSumSquare', [flat], [attr.ints('axes', [1]), attr.int('keepdims', 0)]), count]);
        const term = g.node('Sin', [g.node('Add', [g.node('Mul', [mean, g.float((i + 1) * 0.37)]), g.node('Mul', [power, g.float(0.23)])])]);
        total = total === undefined ? term : g.node('Add', [total, term]);
      });
      return g.node('Mul', [total!, g.float(3 / contract.inputs.length)]); // [B] (or [1])
    },

    /** Flat element index within one item, shaped [1, …rest] so it broadcasts over the batch. */
    itemIndex(g: GraphBuilder, output: TensorContract, sources: ReturnType<typeof axisSources>): string {
      const rest = output.dims.slice(1);
      if (rest.length === 0) return g.int64([0], [1]);
      const shape = g.node('Concat', rest.map((d) => dimTensor(g, parseDim(d), sources)), [attr.int('axis', 0)]);
      const count = g.node('ReduceProd', [shape], [attr.int('keepdims', 0)]);
      const flat = g.node('Range', [g.int64([0], []), count, g.int64([1], [])]);
      return g.node('Unsqueeze', [g.node('Reshape', [flat, shape], [attr.int('allowzero', 1)]), g.int64([0])]);
    },

    /** s as [B, 1, …, 1] for an output of that rank. */
    broadcast(g: GraphBuilder, s: string, output: TensorContract): string {
      return g.node('Reshape', [s, g.int64([-1, ...output.dims.slice(1).map(() => 1)])]);
    },
  };
}
