// The frame loop as a loop module: the hub imports it inside the ONNX worker that holds the
// session's graphs, so the talker's and the code predictor's caches and hidden states stay
// there; each finished frame's 16 codes cross to the main thread as it is made (streaming
// decodes them while the loop goes on).
import { defineWorkerLoop } from '../../core/onnx/worker-loop.ts';
import { generateFrames, type FrameLoopInput, type FrameLoopResult } from './frame-loop.ts';

export default defineWorkerLoop<FrameLoopInput, FrameLoopResult>(async (io, input) =>
  generateFrames(io, input, {
    onFrame: (codes, i) => {
      io.emit(Array.from(codes));
      io.progress(i + 1, input.maxFrames, `frame ${i + 1}`);
    },
  }),
);
