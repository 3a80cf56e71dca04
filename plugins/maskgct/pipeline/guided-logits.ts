// One guided network evaluation: the step graph runs the conditional and unconditional
// passes, guidance with rescale mixes their hidden states (in TypeScript, where the original
// mixes them, before the head), and the logits graph turns the result into logits.
import type { GraphHandle, TensorData } from '../../../core/onnx/graph-handle.ts';
import { classifierFreeGuidance } from '../sampling/guidance.ts';
import { floatsOf } from '../../../core/onnx/tensors.ts';

export interface Guidance {
  readonly cfg: number;
  readonly rescale: number;
}

export async function guidedLogits(
  graphs: { readonly step: GraphHandle; readonly logits: GraphHandle },
  feeds: { readonly step: Readonly<Record<string, TensorData>>; readonly logits?: Readonly<Record<string, TensorData>> },
  guidance: Guidance,
  signal: AbortSignal,
): Promise<Float32Array> {
  const passes = await graphs.step.run(feeds.step, { signal });
  const cond = passes.hidden_cond;
  // g = g_c + cfg·(g_c − g_u); g_final = rescale·g·std(g_c)/std(g) + (1 − rescale)·g
  const hidden = classifierFreeGuidance(floatsOf(cond, `${graphs.step.name}.hidden_cond`), floatsOf(passes.hidden_uncond, `${graphs.step.name}.hidden_uncond`), guidance.cfg, guidance.rescale);
  const out = await graphs.logits.run({ ...feeds.logits, hidden: { type: 'float32', data: hidden, dims: cond!.dims } }, { signal });
  return floatsOf(out.logits, `${graphs.logits.name}.logits`);
}
