// A real (not smoke-marked) separator graph with a known answer: output = gain · input. With
// gain 1 the "vocals" are the whole mix, so the pipeline's chunking, padding, STFT layout and
// stitching must give the input back; any slip in them shows as an error far above 1e-4.
import { makeGraphBuilder } from '../../../core/onnx/graph-builder.ts';
import { encodeModel } from '../../../core/onnx/onnx-proto.ts';
import { ELEMENT_INFO } from '../../../core/onnx/tensor-types.ts';

export function passthroughSeparatorBytes(gain = 1): Uint8Array {
  const g = makeGraphBuilder('_sep');
  const dims = ['batch', 4, 'dim_f', 'dim_t'];
  g.input({ name: 'input', elemType: ELEMENT_INFO.float32.onnx, dims });
  g.node('Mul', ['input', g.float(gain)], [], 'output');
  g.output({ name: 'output', elemType: ELEMENT_INFO.float32.onnx, dims });
  return encodeModel(g.build({ graphName: 'passthrough_separator', opset: 17 }));
}
