// Messages between the session manager and the worker threads that own the sessions.
// Tensors travel as plain {type, data, dims} objects; typed arrays are copied or transferred.
// Resident tensors stay in the worker: the main thread only holds their id, type and dims.
import type { TensorData } from './graph-handle.ts';
import type { TensorMetadata } from './contract-check.ts';
import type { ResidentInfo, TensorShape } from './resident.ts';

export interface SessionSettings {
  /** Execution providers to try in order; CPU is always the last resort. */
  readonly executionProviders: readonly string[];
  readonly intraOpNumThreads: number;
  readonly graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  /** Whether a session's pool threads spin between ops instead of sleeping (see `onnx.spinWait`). */
  readonly spinWait: boolean;
}

/** Who may use resident tensors: one open graph session (`owner`) of one plugin's graphs (`set`). */
export interface Ownership {
  readonly owner: string;
  readonly set: string;
}

export type WorkerRequest =
  | { readonly op: 'load'; readonly id: number; readonly key: string; readonly path: string; readonly settings: SessionSettings }
  | {
      readonly op: 'run';
      readonly id: number;
      readonly key: string;
      readonly feeds: Record<string, TensorData>;
      readonly fetches: readonly string[];
      /** Inputs fed by resident id instead of by value. */
      readonly refs?: Record<string, string>;
      /** Outputs kept in the worker, each in a named slot of the owner (replacing what the slot held). */
      readonly keep?: Record<string, string>;
      readonly ownership?: Ownership;
    }
  | {
      /** One session.run for several callers' feeds: joined along the batch axes here, outputs cut apart here. */
      readonly op: 'runBatch';
      readonly id: number;
      readonly key: string;
      readonly members: readonly Record<string, TensorData>[];
      /** Input name → its batch axis (inputs without one are the same for all and taken from the first). */
      readonly inputAxes: Record<string, number>;
      /** Output name → its batch axis. */
      readonly outputAxes: Record<string, number>;
      readonly fetches: readonly string[];
    }
  /** A tensor without `data` is stored as zeros of its shape, made here. */
  | { readonly op: 'put'; readonly id: number; readonly ownership: Ownership; readonly tensors: Record<string, TensorData | TensorShape> }
  | { readonly op: 'release'; readonly id: number; readonly owner: string }
  | {
      readonly op: 'loop';
      readonly id: number;
      readonly ownership: Ownership;
      /** Graph name → session key, for the graphs the loop may run. */
      readonly keys: Record<string, string>;
      /** URL of the plugin's loop module (default export made with defineWorkerLoop). */
      readonly module: string;
      readonly input: unknown;
      /** Int32Array(1) over it; the main thread sets it to 1 to cancel. */
      readonly cancel: SharedArrayBuffer;
    }
  | { readonly op: 'unload'; readonly id: number; readonly key: string }
  | { readonly op: 'stats'; readonly id: number }
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
  readonly kept: Record<string, ResidentInfo>;
  readonly ms: number;
}

export interface BatchRunResult {
  /** Each member's outputs, in the order of the request's members. */
  readonly outputs: Record<string, TensorData>[];
  readonly ms: number;
}

export interface HashResult {
  readonly sha256: string;
  readonly size: number;
}

export interface WorkerStats {
  readonly residents: number;
  readonly residentBytes: number;
  readonly owners: number;
  readonly loops: number;
}

/** Why a request failed: `missing` file, `corrupt` model, a `stale`/`foreign` resident id, a `shape` mismatch, `cancelled`, or anything else. */
export type FailureKind = 'missing' | 'corrupt' | 'stale' | 'foreign' | 'shape' | 'cancelled' | 'failed';

/** What a running loop tells the main thread between steps. */
export type LoopEvent = { readonly kind: 'emit'; readonly value: unknown } | { readonly kind: 'progress'; readonly step: number; readonly total: number; readonly message?: string };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly kind: FailureKind; readonly message: string }
  | { readonly id: number; readonly event: LoopEvent }
  /** Loop events gathered while the worker ran steps, in order: one message per turn of its event loop, not one per token. */
  | { readonly events: readonly { readonly id: number; readonly event: LoopEvent }[] };
