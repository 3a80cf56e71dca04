// The NAR stage (`ValleNAR.sample_hf`): acoustic layers 1..7 of the target, one greedy pass
// per layer, each seeing the reference's 8 layers and the target's layers below it.
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import { floatsOf, int64Tensor } from '../../core/onnx/tensors.ts';
import { VALLE } from './settings.ts';

/** Index of the largest value in each row of a row-major [rows × width] matrix. */
export function argmaxRows(values: Float32Array, rows: number, width: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let i = 1; i < width; i++) if (values[r * width + i]! > values[r * width + best]!) best = i;
    out[r] = best;
  }
  return out;
}

/**
 * prompt: layer-major [8 × promptFrames] (semantic, then 7 acoustic); semantic: the generated
 * codes. Returns the target's grid, layer-major [8 × frames], layer 0 = `semantic`.
 */
export async function predictAcoustic(
  graph: GraphHandle,
  prompt: { readonly ids: Int32Array; readonly frames: number },
  semantic: Int32Array,
  run: { readonly signal: AbortSignal; readonly onLayer?: (layer: number) => void },
): Promise<Int32Array> {
  const { quantizers, nar } = VALLE;
  const frames = semantic.length;
  // target_ids = cat([first_stage_ids, pad × 7]); the padding (1) is never read: only layers < layer are
  const target = new Int32Array(quantizers * frames).fill(1);
  target.set(semantic);
  const promptIds = int64Tensor(prompt.ids, [1, quantizers, prompt.frames]);
  for (let layer = nar.firstLayer; layer <= nar.lastLayer; layer++) {
    run.signal.throwIfAborted();
    const out = await graph.run({ prompt_ids: promptIds, target_ids: int64Tensor(target, [1, quantizers, frames]), layer: int64Tensor([layer], [1]) }, { signal: run.signal });
    // gen_tokens = argmax(logits[..., :4096])
    target.set(argmaxRows(floatsOf(out.logits, 'nar.logits'), frames, nar.acousticVocab), layer * frames);
    run.onLayer?.(layer);
  }
  return target;
}
