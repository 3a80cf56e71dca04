// The patch loop as a loop module: the hub imports it inside the ONNX worker that holds the
// session's graphs, so both KV caches, the hidden states and every DiT step stay there; only
// progress ticks and the finished patches cross to the main thread.
import { defineWorkerLoop } from '../../core/onnx/worker-loop.ts';
import { generatePatches, type PatchLoopInput, type PatchLoopResult } from './patch-loop.ts';

export default defineWorkerLoop<PatchLoopInput, PatchLoopResult>(async (io, input) =>
  generatePatches(io, input, { onPatch: (i, n) => io.progress(i, n, `patch ${i}`) }),
);
