// A deliberately slow graph: y = tanh(... tanh(tanh(x·W)·W) ...), `repeats` matrix products
// of size×size (2·size³ flops each). Same contract as the slow-model fixture.
import { makeGraphBuilder, floatTensor } from '../../../core/onnx/graph-builder.ts';
import { encodeModel } from '../../../core/onnx/onnx-proto.ts';
import { ELEMENT_INFO } from '../../../core/onnx/tensor-types.ts';

export function slowGraphBytes(options: { size: number; repeats: number }): Uint8Array {
  const { size, repeats } = options;
  const g = makeGraphBuilder('_slow');
  g.input({ name: 'x', elemType: ELEMENT_INFO.float32.onnx, dims: [size, size] });
  // Scaled so tanh stays out of saturation and every product keeps doing real work.
  const w = g.initializer(floatTensor('w', Array.from({ length: size * size }, (_, i) => Math.sin(i * 0.7) / Math.sqrt(size)), [size, size]));
  let y = 'x';
  for (let i = 0; i < repeats; i++) y = g.node('Tanh', [g.node('MatMul', [y, w])], [], i === repeats - 1 ? 'y' : undefined);
  g.output({ name: 'y', elemType: ELEMENT_INFO.float32.onnx, dims: [size, size] });
  return encodeModel(g.build({ graphName: 'slow', opset: 17 }));
}
