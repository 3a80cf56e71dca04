// A fixed number of worker threads, each started on first use and replaced after a crash.
// The pool only carries requests and replies; which session lives where is the session
// manager's business.
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.ts';
import type { FailureKind, WorkerReply, WorkerRequestBody } from './worker-protocol.ts';

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
  call<R>(worker: number, request: WorkerRequestBody, transfer?: readonly ArrayBuffer[]): Promise<R>;
  /** Told when a worker dies, so the sessions it held can be forgotten. */
  onLost(listener: (worker: number, reason: string) => void): void;
  /** Threads started so far. */
  started(): number;
  dispose(): Promise<void>;
}

// Workers run TypeScript through tsx's scoped loader: a worker does not inherit the main
// thread's module hooks in Node 20 (measured: `--import tsx` in execArgv is not enough).
const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER_URL = new URL('./session-worker.ts', import.meta.url).href;
const BOOT = `import(${JSON.stringify(TSX_API)}).then((api) => api.tsImport(${JSON.stringify(WORKER_URL)}, ${JSON.stringify(import.meta.url)}))`;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export function makeWorkerPool(deps: { size: number; logger: Logger }): WorkerPool {
  const workers: (Worker | undefined)[] = new Array(deps.size).fill(undefined);
  const pending = new Map<number, { worker: number } & Pending>();
  const listeners: ((worker: number, reason: string) => void)[] = [];
  let nextId = 1;
  let disposing = false;

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
    const worker = new Worker(BOOT, { eval: true, name: `onnx-${index}` });
    worker.on('message', (reply: WorkerReply) => {
      const call = pending.get(reply.id);
      if (!call) return;
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
    call<R>(index: number, request: WorkerRequestBody, transfer: readonly ArrayBuffer[] = []) {
      if (disposing) return Promise.reject(new WorkerCallError('lost', 'the ONNX worker pool is shut down'));
      const worker = workers[index] ?? spawn(index);
      const id = nextId++;
      return new Promise<R>((resolve, reject) => {
        pending.set(id, { worker: index, resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ ...request, id }, [...transfer]);
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
