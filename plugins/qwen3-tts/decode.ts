// Codes → waveform with the tokenizer decoder, in chunks that each carry left context
// (modeling_qwen3_tts_tokenizer_v2.py `chunked_decode`): the decoder's transformer attends over a
// sliding window, so a chunk decoded with the 25 frames before it joins its neighbour, and the
// context's samples are dropped. Whole utterances use chunks of 300 frames; streams cut the first
// chunk after a few frames, so the first audio does not wait for the text to be spoken through.
import { errors } from '../../core/errors.ts';
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import { floatsOf, int64Tensor } from '../../core/onnx/tensors.ts';
import { QWEN3 } from './variants.ts';

export interface DecodeWindow {
  readonly start: number;
  readonly end: number;
  /** Frames before `start` fed along and cut off again. */
  readonly context: number;
}

/** chunked_decode's windows over `frames` frames. */
export function decodeWindows(frames: number, chunk: number = QWEN3.decodeChunk, leftContext: number = QWEN3.leftContext): DecodeWindow[] {
  const windows: DecodeWindow[] = [];
  for (let start = 0; start < frames; ) {
    const end = Math.min(start + chunk, frames);
    // As the reference: the full context once there is more than it before the chunk, else all there is.
    windows.push({ start, end, context: start - leftContext > 0 ? leftContext : start });
    start = end;
  }
  return windows;
}

/** Where a stream cuts: after `first` frames, then every `every` frames (the rest at the end). */
export function streamCut(decoded: number, available: number, done: boolean, first: number = QWEN3.firstChunkFrames, every: number = QWEN3.streamChunkFrames): number | undefined {
  const want = decoded === 0 ? first : decoded + every;
  if (available >= want) return want;
  if (done && available > decoded) return available;
  return undefined;
}

/** [frames, 16] row-major → the decoder's [1, 16, frames]. */
export function groupMajor(codes: Int32Array, start: number, end: number): number[] {
  const G = QWEN3.groups;
  const n = end - start;
  const out = new Array<number>(G * n);
  for (let f = 0; f < n; f++) for (let g = 0; g < G; g++) out[g * n + f] = codes[(start + f) * G + g]!;
  return out;
}

export async function decodeWindow(decoder: GraphHandle, codes: Int32Array, window: DecodeWindow, signal: AbortSignal): Promise<Float32Array> {
  const from = window.start - window.context;
  const n = window.end - from;
  const out = await decoder.run({ codes: int64Tensor(groupMajor(codes, from, window.end), [1, QWEN3.groups, n]) }, { signal });
  const wave = floatsOf(out.waveform, 'tokenizer_decoder.waveform');
  if (wave.length !== n * QWEN3.frameSamples) throw errors.graphFailed('qwen3-tts', 'tokenizer_decoder', `${wave.length} samples for ${n} frames`);
  return wave.subarray(window.context * QWEN3.frameSamples);
}
