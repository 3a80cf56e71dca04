// Resident tensors: outputs kept in the worker that owns the session and fed back by id on
// the next call, so a KV cache or a diffusion latent never crosses threads per step. The
// main thread holds only this small description; the bytes stay where they are used.
import type { ElementType } from '../plugin/graph-contract.ts';
import type { TensorData } from './tensor-data.ts';

export interface ResidentInfo {
  /** Id inside the worker; never reused, so a freed id reads as stale. */
  readonly resident: string;
  /** The owner's slot that holds it (a new value in the slot frees the old one). */
  readonly slot: string;
  readonly type: ElementType;
  readonly dims: readonly number[];
  readonly bytes: number;
}

export type Feed = TensorData | ResidentInfo;

/** A tensor's element type and dimensions, without its values. */
export interface TensorShape {
  readonly type: ElementType;
  readonly dims: readonly number[];
}

export function isResident(value: unknown): value is ResidentInfo {
  return typeof value === 'object' && value !== null && typeof (value as ResidentInfo).resident === 'string';
}

export interface SessionRunOptions {
  /** Outputs to keep in the worker, each into a named slot: `{ present_k: 'k' }`. */
  readonly keep?: Readonly<Record<string, string>>;
}

export interface SessionRunResult {
  /** The outputs not kept, copied to this thread. */
  readonly outputs: Record<string, TensorData>;
  readonly kept: Record<string, ResidentInfo>;
}

export interface LoopOptions<E> {
  /** Each value the loop emits (a token, a frame), in order. */
  readonly onEmit?: (value: E) => void;
  /** Step i of n; wire it to ctx.progress. */
  readonly onProgress?: (step: number, total: number, message?: string) => void;
}

/**
 * State for one request on one plugin's graphs, pinned to the worker that holds them all.
 * Everything it keeps is freed by close(), by its abort signal, or when its worker stops.
 */
export interface GraphSession {
  readonly id: string;
  readonly graphs: readonly string[];
  run(graph: string, feeds: Readonly<Record<string, Feed>>, options?: SessionRunOptions): Promise<SessionRunResult>;
  /** Uploads tensors once into named slots (e.g. an encoder's output every step reads). */
  put(tensors: Readonly<Record<string, TensorData>>): Promise<Record<string, ResidentInfo>>;
  /**
   * Fills named slots with zeros made in the worker (an empty KV cache): only the shapes
   * cross, where `put` would build and copy megabytes of zeros on the event loop's thread.
   */
  zeros(shapes: Readonly<Record<string, TensorShape>>): Promise<Record<string, ResidentInfo>>;
  /**
   * Runs a plugin's loop module (default export of defineWorkerLoop) inside the worker, next
   * to the sessions: per step only what it emits crosses. Cancelled within one step by the
   * session's signal or close().
   */
  loop<R, E = unknown>(module: URL | string, input: unknown, options?: LoopOptions<E>): Promise<R>;
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  readonly signal?: AbortSignal;
}
