// A fixed number of worker threads, each started on first use and replaced after a crash.
// The pool only carries requests and replies; which session lives where is the session
// manager's business.
import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../threads/typescript-worker.ts';
import type { Logger } from '../log/logger.ts';
import type { FailureKind, LoopEvent, WorkerReply, WorkerRequestBody } from './worker-protocol.ts';

/** Bytes of tensor data that crossed between threads (both ways), for measuring what a step costs. */
export interface Traffic {
  messages: number;
  bytes: number;
}

/** About the bytes a message moves: typed arrays exactly, numbers as 8, strings by length. */
export function payloadBytes(value: unknown, depth = 0): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (typeof value === 'number' || typeof value === 'bigint') return 8;
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null || depth > 6) return 0;
  if (value instanceof Map) return payloadBytes([...value.entries()], depth + 1);
  let total = 0;
  for (const item of Object.values(value)) total += payloadBytes(item, depth + 1);
  return total;
}

export class WorkerCallError extends Error {
  readonly kind: FailureKind | 'lost';
  constructor(kind: FailureKind | 'lost', message: string) {
    super(message);
    this.name = 'WorkerCallError';
    this.kind = kind;
  }
}

export interface WorkerPool {
  readonly size: number;
  call<R>(worker: number, request: WorkerRequestBody, transfer?: readonly ArrayBuffer[], onEvent?: (event: LoopEvent) => void): Promise<R>;
  /** Running totals of the tensor bytes that crossed threads. */
  readonly traffic: Readonly<Traffic>;
  /** Told when a worker dies, so the sessions it held can be forgotten. */
  onLost(listener: (worker: number, reason: string) => void): void;
  /** Threads started so far. */
  started(): number;
  dispose(): Promise<void>;
}

const WORKER_URL = new URL('./session-worker.ts', import.meta.url);

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEvent?: (event: LoopEvent) => void;
}

export function makeWorkerPool(deps: { size: number; logger: Logger }): WorkerPool {
  const workers: (Worker | undefined)[] = new Array(deps.size).fill(undefined);
  const pending = new Map<number, { worker: number } & Pending>();
  const listeners: ((worker: number, reason: string) => void)[] = [];
  let nextId = 1;
  let disposing = false;
  const traffic: Traffic = { messages: 0, bytes: 0 };

  const lose = (index: number, reason: string) => {
    workers[index] = undefined;
    for (const [id, call] of pending) {
      if (call.worker !== index) continue;
      pending.delete(id);
      call.reject(new WorkerCallError('lost', `ONNX worker ${index} stopped (${reason})`));
    }
    if (!disposing) {
      deps.logger.error('onnx worker stopped', { worker: index, reason });
      for (const listener of listeners) listener(index, reason);
    }
  };

  const spawn = (index: number): Worker => {
    const worker = startTypeScriptWorker(WORKER_URL, { name: `onnx-${index}`, background: true });
    worker.on('message', (reply: WorkerReply) => {
      traffic.messages++;
      traffic.bytes += payloadBytes(reply);
      if ('events' in reply) {
        for (const { id, event } of reply.events) pending.get(id)?.onEvent?.(event);
        return;
      }
      const call = pending.get(reply.id);
      if (!call) return;
      if ('event' in reply) {
        call.onEvent?.(reply.event);
        return;
      }
      pending.delete(reply.id);
      if (reply.ok) call.resolve(reply.result);
      else call.reject(new WorkerCallError(reply.kind, reply.message));
    });
    worker.on('error', (error) => lose(index, error.message));
    worker.on('exit', (code) => {
      if (workers[index] === worker) lose(index, `exit code ${code}`);
    });
    workers[index] = worker;
    return worker;
  };

  return {
    size: deps.size,
    traffic,
    call<R>(index: number, request: WorkerRequestBody, transfer: readonly ArrayBuffer[] = [], onEvent?: (event: LoopEvent) => void) {
      if (disposing) return Promise.reject(new WorkerCallError('lost', 'the ONNX worker pool is shut down'));
      const worker = workers[index] ?? spawn(index);
      const id = nextId++;
      return new Promise<R>((resolve, reject) => {
        pending.set(id, { worker: index, resolve: resolve as (v: unknown) => void, reject, onEvent });
        traffic.messages++;
        traffic.bytes += payloadBytes(request);
        try {
          worker.postMessage({ ...request, id }, [...transfer]);
        } catch (error) {
          // Not sendable (a detached buffer, a value that cannot be cloned): nothing will answer.
          pending.delete(id);
          reject(error);
        }
      });
    },
    onLost(listener) {
      listeners.push(listener);
    },
    started: () => workers.filter(Boolean).length,
    async dispose() {
      disposing = true;
      const running = workers.filter((w): w is Worker => w !== undefined);
      workers.fill(undefined);
      await Promise.all(running.map((w) => w.terminate()));
      for (const [id, call] of pending) {
        pending.delete(id);
        call.reject(new WorkerCallError('lost', 'the ONNX worker pool is shut down'));
      }
    },
  };
}
