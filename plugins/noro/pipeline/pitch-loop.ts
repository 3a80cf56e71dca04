// The pitch contour (pipeline/pitch.ts) computed in the ONNX worker that the request's graph
// session pins, so WORLD's F0 search (tens of ms per second of source) never holds the main thread.
import { defineWorkerLoop } from '../../../core/onnx/worker-loop.ts';
import { pitchContour } from './pitch.ts';

export interface PitchInput {
  /** The padded 16 kHz source. */
  readonly source: Float32Array;
  readonly frames: number;
}

export default defineWorkerLoop<PitchInput, Float32Array>(async (io, input) => {
  io.throwIfCancelled();
  return pitchContour(input.source, input.frames);
});
