// A UNet stand-in with a known formula, as a real ONNX graph under AudioLDM's unet contract:
//   ε[b] = 0.3·sin(3·x[b] + t[b]/150) + 0.1·x[b] + 0.5·⟨class_labels[b], w⟩,  w_i = (i − 255.5)/512
// (scripts/reference/audioldm-denoise-fixtures.py computes the loop over it in torch). Every
// input moves the output and items never mix, so the cond/uncond order, the timestep and the
// batched and unbatched paths all show in the result.
import { attr, makeGraphBuilder } from '../../core/onnx/graph-builder.ts';
import { encodeModel } from '../../core/onnx/onnx-proto.ts';
import { ELEMENT_INFO } from '../../core/onnx/tensor-types.ts';
import { TEXT_EMBED } from '../clap-text/contract.ts';
import { unet } from './contracts.ts';

export function standInUnetBytes(): Uint8Array {
  const g = makeGraphBuilder();
  const f32 = ELEMENT_INFO.float32.onnx;
  for (const input of unet.inputs) g.input({ name: input.name, elemType: ELEMENT_INFO[input.type].onnx, dims: input.dims });
  const w = g.float(Array.from({ length: TEXT_EMBED }, (_, i) => (i - 255.5) / 512), [TEXT_EMBED, 1]);
  const perItem = g.int64([-1, 1, 1, 1]);
  const proj = g.node('Reshape', [g.node('MatMul', ['class_labels', w]), perItem]);
  const t = g.node('Reshape', [g.node('Cast', ['timestep'], [attr.int('to', f32)]), perItem]);
  const phase = g.node('Add', [g.node('Mul', ['sample', g.float(3)]), g.node('Div', [t, g.float(150)])]);
  const wave = g.node('Mul', [g.node('Sin', [phase]), g.float(0.3)]);
  g.node('Add', [g.node('Add', [wave, g.node('Mul', ['sample', g.float(0.1)])]), g.node('Mul', [proj, g.float(0.5)])], [], 'noise');
  g.output({ name: 'noise', elemType: f32, dims: unet.outputs[0].dims });
  return encodeModel(g.build({ graphName: 'stand-in-unet', opset: 17 }));
}
