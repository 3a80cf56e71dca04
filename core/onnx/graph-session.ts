// The main thread's side of a GraphSession (resident.ts): runs pinned to the one worker that
// holds the session's graphs, feeds split into values and resident ids, loops started there
// and cancelled through a shared flag the worker reads before every step.
import { errors } from '../errors.ts';
import type { GraphContract } from '../plugin/graph-contract.ts';
import { checkFeeds, checkOutputs } from './feed-check.ts';
import type { TensorData } from './graph-handle.ts';
import { isResident, type Feed, type GraphSession, type ResidentInfo, type SessionRunResult, type TensorShape } from './resident.ts';
import type { GraphQueue } from './graph-queue.ts';
import { ELEMENT_INFO } from './tensor-types.ts';
import type { WorkerPool } from './worker-pool.ts';
import type { Ownership, RunResult } from './worker-protocol.ts';

export interface SessionGraph {
  readonly key: string;
  readonly contract: GraphContract;
  readonly queue: GraphQueue;
}

export interface GraphSessionDeps {
  readonly id: string;
  readonly plugin: string;
  readonly worker: number;
  readonly pool: WorkerPool;
  readonly graphs: ReadonlyMap<string, SessionGraph>;
  readonly signal?: AbortSignal;
  /** The catalogue error for a failed worker call on `graph`. */
  failure(graph: string, error: unknown): Error;
  /** Why the pinned worker is gone, once it is. */
  lost(): string | undefined;
  /** Counts the run time of a step on its graph. */
  ran(graph: string, ms: number): void;
  onClose(): void;
}

export function makeGraphSession(deps: GraphSessionDeps): GraphSession {
  const ownership: Ownership = { owner: deps.id, set: deps.plugin };
  const cancels = new Set<Int32Array>();
  let closed: Promise<void> | undefined;

  const usable = (graph: string): SessionGraph => {
    if (closed) throw errors.residentStale(deps.plugin, graph, `graph session ${deps.id} is closed`);
    deps.signal?.throwIfAborted();
    const reason = deps.lost();
    if (reason) throw errors.workerLost(deps.plugin, graph, reason);
    const found = deps.graphs.get(graph);
    if (!found) throw errors.graphFailed(deps.plugin, graph, `not part of graph session ${deps.id} (graphs: ${[...deps.graphs.keys()].join(', ')})`);
    return found;
  };

  /** Tensors into named slots of this session, in the worker; one without `data` is stored as zeros. */
  const store = async (tensors: Record<string, TensorData | TensorShape>): Promise<Record<string, ResidentInfo>> => {
    const first = [...deps.graphs.keys()][0]!;
    usable(first);
    try {
      return await deps.pool.call<Record<string, ResidentInfo>>(deps.worker, { op: 'put', ownership, tensors });
    } catch (error) {
      throw deps.failure(first, error);
    }
  };

  const onAbort = () => void session.close();
  deps.signal?.addEventListener('abort', onAbort, { once: true });

  const session: GraphSession = {
    id: deps.id,
    graphs: [...deps.graphs.keys()],

    async run(graph, feeds, options = {}) {
      const { key, contract, queue } = usable(graph);
      const checked = checkFeeds(contract, feeds);
      if (checked.problems.length) throw errors.graphFeedInvalid(deps.plugin, graph, checked.problems);
      const values: Record<string, TensorData> = {};
      const refs: Record<string, string> = {};
      for (const [name, feed] of Object.entries(feeds)) {
        if (isResident(feed)) refs[name] = feed.resident;
        else values[name] = ownedCopy(feed);
      }
      const fetches = contract.outputs.map((o) => o.name);
      const result = await queue.run(async () => {
        // Closed while waiting for its turn: posting now would keep tensors after the release.
        if (closed) throw errors.residentStale(deps.plugin, graph, `graph session ${deps.id} is closed`);
        try {
          return await deps.pool.call<RunResult>(deps.worker, { op: 'run', key, feeds: values, refs, fetches, keep: { ...options.keep }, ownership });
        } catch (error) {
          throw deps.failure(graph, error);
        }
      }, deps.signal);
      deps.ran(graph, result.ms);
      const problems = checkOutputs(contract, { ...result.outputs, ...result.kept }, checked.axes);
      if (problems.length) throw errors.contractMismatch(deps.plugin, graph, problems);
      return { outputs: result.outputs, kept: result.kept } satisfies SessionRunResult;
    },

    put: (tensors) => store(Object.fromEntries(Object.entries(tensors).map(([slot, t]) => [slot, ownedCopy(t)]))),
    zeros: async (shapes) =>
      store(
        Object.fromEntries(
          Object.entries(shapes).map(([slot, { type, dims }]) => {
            if (!(type in ELEMENT_INFO) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) {
              throw new TypeError(`zeros for slot '${slot}': ${JSON.stringify({ type, dims })} is not an element type with whole, non-negative dimensions`);
            }
            return [slot, { type, dims: [...dims] }];
          }),
        ),
      ),

    async loop<R, E>(module: URL | string, input: unknown, options: { onEmit?: (value: E) => void; onProgress?: (step: number, total: number, message?: string) => void } = {}) {
      const first = [...deps.graphs.keys()][0]!;
      usable(first);
      const flag = new Int32Array(new SharedArrayBuffer(4));
      cancels.add(flag);
      const keys = Object.fromEntries([...deps.graphs].map(([name, g]) => [name, g.key]));
      const started = performance.now();
      try {
        const result = await deps.pool.call<R>(deps.worker, { op: 'loop', ownership, keys, module: String(module), input, cancel: flag.buffer as SharedArrayBuffer }, [], (event) => {
          if (event.kind === 'emit') options.onEmit?.(event.value as E);
          else options.onProgress?.(event.step, event.total, event.message);
        });
        // A loop that sees the cancel between steps may return what it has (the AR driver's
        // stop: 'cancelled'); the request was still cancelled, and ends as such.
        deps.signal?.throwIfAborted();
        return result;
      } catch (error) {
        // A cancelled loop ends with the reason it was cancelled for.
        if (deps.signal?.aborted) throw deps.signal.reason;
        if (closed) throw errors.residentStale(deps.plugin, first, `graph session ${deps.id} was closed while its loop ran`);
        throw deps.failure(first, error);
      } finally {
        cancels.delete(flag);
        deps.ran(first, performance.now() - started);
      }
    },

    close() {
      closed ??= (async () => {
        deps.signal?.removeEventListener('abort', onAbort);
        // Running loops stop before their next step.
        for (const flag of cancels) Atomics.store(flag, 0, 1);
        deps.onClose();
        if (!deps.lost()) await deps.pool.call(deps.worker, { op: 'release', owner: deps.id }).catch(() => undefined);
      })();
      return closed;
    },
  };
  return session;
}

/** A view on part of a larger buffer is copied down to its own bytes (structured clone would copy the whole buffer). */
export function ownedCopy(tensor: TensorData): TensorData {
  const whole = tensor.data.byteOffset === 0 && tensor.data.byteLength === tensor.data.buffer.byteLength;
  return { type: tensor.type, data: whole ? tensor.data : (tensor.data.slice() as typeof tensor.data), dims: [...tensor.dims] };
}
