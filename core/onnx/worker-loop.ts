// What a plugin's loop module sees when the hub runs it inside an ONNX worker, next to the
// sessions (GraphSession.loop). The module default-exports defineWorkerLoop(async (io, input) => ...):
// its steps call io.run, which feeds and returns onnxruntime tensors without copies across
// threads; only io.emit values, io.progress ticks and the final result reach the main thread.
import type ort from 'onnxruntime-node';
import type { TensorData } from './graph-handle.ts';

export type LoopTensor = ort.Tensor;

export interface LoopIO {
  /** Runs one of the session's graphs here; returns the requested outputs (default: all). */
  run(graph: string, feeds: Readonly<Record<string, LoopTensor | TensorData>>, fetches?: readonly string[]): Promise<Record<string, LoopTensor>>;
  /** A tensor the session put or kept in `slot` before the loop started. */
  resident(slot: string): LoopTensor;
  /** Builds a tensor (onnxruntime's Tensor constructor, without importing onnxruntime in the plugin). */
  tensor(type: TensorData['type'], data: TensorData['data'], dims: readonly number[]): LoopTensor;
  /** Sends a value to the main thread now (a sampled token, a finished frame). */
  emit(value: unknown): void;
  /** Step i of n, shown as the request's progress. */
  progress(step: number, total: number, message?: string): void;
  /** True once the request was cancelled; the next io.run throws then. */
  readonly cancelled: boolean;
  throwIfCancelled(): void;
}

export interface WorkerLoop<I = unknown, R = unknown> {
  readonly kind: 'hub.worker-loop';
  run(io: LoopIO, input: I): Promise<R>;
}

export function defineWorkerLoop<I, R>(run: (io: LoopIO, input: I) => Promise<R>): WorkerLoop<I, R> {
  return { kind: 'hub.worker-loop', run };
}

export function isWorkerLoop(value: unknown): value is WorkerLoop {
  return typeof value === 'object' && value !== null && (value as WorkerLoop).kind === 'hub.worker-loop' && typeof (value as WorkerLoop).run === 'function';
}
