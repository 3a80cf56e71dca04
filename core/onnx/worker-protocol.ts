// Messages between the session manager and the worker threads that own the sessions.
// Tensors travel as plain {type, data, dims} objects; typed arrays are copied or transferred.
import type { TensorData } from './graph-handle.ts';
import type { TensorMetadata } from './contract-check.ts';

export interface SessionSettings {
  /** Execution providers to try in order; CPU is always the last resort. */
  readonly executionProviders: readonly string[];
  readonly intraOpNumThreads: number;
  readonly graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
}

export type WorkerRequest =
  | { readonly op: 'load'; readonly id: number; readonly key: string; readonly path: string; readonly settings: SessionSettings }
  | { readonly op: 'run'; readonly id: number; readonly key: string; readonly feeds: Record<string, TensorData>; readonly fetches: readonly string[] }
  | { readonly op: 'unload'; readonly id: number; readonly key: string }
  | { readonly op: 'hash'; readonly id: number; readonly path: string };

export type WorkerRequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export interface LoadResult {
  readonly provider: string;
  /** Why providers before the one used were skipped. */
  readonly warnings: readonly string[];
  readonly inputs: readonly TensorMetadata[];
  readonly outputs: readonly TensorMetadata[];
  readonly ms: number;
}

export interface RunResult {
  readonly outputs: Record<string, TensorData>;
  readonly ms: number;
}

export interface HashResult {
  readonly sha256: string;
  readonly size: number;
}

/** Why a request failed: `missing` file, `corrupt` model, or anything else (`failed`). */
export type FailureKind = 'missing' | 'corrupt' | 'failed';

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: LoadResult | RunResult | HashResult | null }
  | { readonly id: number; readonly ok: false; readonly kind: FailureKind; readonly message: string };
