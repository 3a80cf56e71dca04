// Smoke graphs: from any graph contract, a tiny valid ONNX model with exactly the declared
// inputs and outputs. Every output depends deterministically on every input through one
// summary scalar `s` (mean and power of each input), varies along its own elements, and stays
// in a sane range: floats in (-1, 1) through tanh, integer ids in [0, vocab).
import type { ElementType, GraphContract, TensorContract } from '../plugin/graph-contract.ts';
import { parseDim } from './dim-expr.ts';
import { attr, makeGraphBuilder, type GraphBuilder } from './graph-builder.ts';
import { encodeModel, type ModelSpec } from './onnx-proto.ts';
import { ELEMENT_INFO } from './tensor-types.ts';
import { axisSources, dimTensor } from './smoke-dims.ts';
import { SMOKE_METADATA_KEY } from './smoke-metadata.ts';
import { batchedSmoke } from './smoke-batched.ts';

export const SMOKE_OPSET = 17;

export { FREE_AXIS_SIZE } from './smoke-dims.ts';

/** Id range of integer outputs that declare no vocabulary. */
const DEFAULT_VOCAB: Partial<Record<ElementType, number>> = { int8: 128, bool: 2 };
const FALLBACK_VOCAB = 256;

export function vocabOf(tensor: TensorContract): number {
  return tensor.vocab ?? DEFAULT_VOCAB[tensor.type] ?? FALLBACK_VOCAB;
}

const isFloat = (type: ElementType) => type === 'float32' || type === 'float16';

/**
 * s = 3/n · Σᵢ sin((i+1)·0.37·mean(xᵢ) + 0.23·mean(xᵢ²)): one bounded scalar that moves
 * with every input. Sine, not tanh, so large inputs (token ids) do not saturate it.
 */
function summaryScalar(g: GraphBuilder, inputs: readonly TensorContract[]): string {
  let total: string | undefined;
  inputs.forEach((input, i) => {
    const x = input.type === 'float32' ? input.name : g.node('Cast', [input.name], [attr.int('to', ELEMENT_INFO.float32.onnx)]);
    const count = g.node('Max', [g.node('Cast', [g.node('Size', [input.name])], [attr.int('to', ELEMENT_INFO.float32.onnx)]), g.float(1)]);
    const mean = g.node('Div', [g.node('ReduceSum', [x], [attr.int('keepdims', 0)]), count]);
    const power = g.node('Div', [g.node('ReduceSumSquare', [x], [attr.int('keepdims', 0)]), count]);
    const term = g.node('Sin', [g.node('Add', [g.node('Mul', [mean, g.float((i + 1) * 0.37)]), g.node('Mul', [power, g.float(0.23)])])]);
    total = total === undefined ? term : g.node('Add', [total, term]);
  });
  return g.node('Mul', [total!, g.float(3 / inputs.length)]);
}


/** Flat element index 0..n-1 shaped like the output (int64). */
function elementIndex(g: GraphBuilder, output: TensorContract, sources: ReturnType<typeof axisSources>): string {
  const shape =
    output.dims.length === 0 ? g.int64([], [0]) : g.node('Concat', output.dims.map((d) => dimTensor(g, parseDim(d), sources)), [attr.int('axis', 0)]);
  const count = g.node('ReduceProd', [shape], [attr.int('keepdims', 0)]);
  const flat = g.node('Range', [g.int64([0], []), count, g.int64([1], [])]);
  // allowzero: a 0 in the shape means an empty axis, not "copy the input's dim".
  return g.node('Reshape', [flat, shape], [attr.int('allowzero', 1)]);
}

export function floatOutput(g: GraphBuilder, output: TensorContract, index: string, s: string, k: number): string {
  const position = g.node('Cast', [index], [attr.int('to', ELEMENT_INFO.float32.onnx)]);
  const phase = g.node('Add', [g.node('Mul', [position, g.float(0.05 * (k + 1))]), s]);
  const wave = g.node('Add', [g.node('Mul', [g.node('Sin', [phase]), g.float(0.9)]), g.node('Mul', [s, g.float(0.1)])]);
  if (output.type === 'float32') return g.node('Tanh', [wave], [], output.name);
  return g.node('Cast', [g.node('Tanh', [wave])], [attr.int('to', ELEMENT_INFO[output.type].onnx)], output.name);
}

export function idOutput(g: GraphBuilder, output: TensorContract, index: string, s: string, k: number): string {
  const offset = g.node('Cast', [g.node('Floor', [g.node('Mul', [g.node('Abs', [s]), g.float(1000)])])], [attr.int('to', ELEMENT_INFO.int64.onnx)]);
  const spread = g.node('Add', [g.node('Mul', [index, g.int64([7 + 2 * k], [])]), offset]);
  const ids = g.node('Mod', [spread, g.int64([vocabOf(output)], [])]);
  if (output.type === 'int64') return g.node('Identity', [ids], [], output.name);
  return g.node('Cast', [ids], [attr.int('to', ELEMENT_INFO[output.type].onnx)], output.name);
}

export interface SmokeGraphOptions {
  readonly plugin: string;
  readonly graph: string;
}

export function smokeGraphBytes(contract: GraphContract, options: SmokeGraphOptions): Uint8Array {
  return encodeModel(smokeGraphSpec(contract, options));
}

/** The smoke graph as a model description, before encoding. */
export function smokeGraphSpec(contract: GraphContract, options: SmokeGraphOptions): ModelSpec {
  const g = makeGraphBuilder('_smoke');
  for (const input of contract.inputs) g.input({ name: input.name, elemType: ELEMENT_INFO[input.type].onnx, dims: input.dims });
  const sources = axisSources(contract.inputs);
  // A graph that may be batched gets one summary per item, so stacked requests stay independent.
  const batched = batchedSmoke(contract);
  const s = batched ? batched.summary(g) : summaryScalar(g, contract.inputs);
  contract.outputs.forEach((output, k) => {
    const index = batched ? batched.itemIndex(g, output, sources) : elementIndex(g, output, sources);
    const sOut = batched ? batched.broadcast(g, s, output) : s;
    if (isFloat(output.type)) floatOutput(g, output, index, sOut, k);
    else idOutput(g, output, index, sOut, k);
    g.output({ name: output.name, elemType: ELEMENT_INFO[output.type].onnx, dims: output.dims });
  });
  return g.build({
    graphName: `${options.plugin}.${options.graph}.smoke`,
    opset: SMOKE_OPSET,
    // The mark smoke-metadata.ts reads: the file itself says it is a smoke graph, wherever it goes.
    metadata: { [SMOKE_METADATA_KEY]: '1', 'hub.plugin': options.plugin, 'hub.graph': options.graph },
    docString: 'Smoke graph generated from the contract: deterministic, meaningless outputs for end-to-end tests.',
  });
}
