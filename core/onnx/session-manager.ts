// One session manager for every plugin. Graphs load lazily on first run (or on an explicit
// load), in worker threads, after the plugin's files pass their sha256 check; the loaded
// model is compared with the contract before anyone may run it. Each graph admits runs
// through its own bounded queue. Disposed at shutdown: waiters fail, workers stop.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchRunResult } from './worker-protocol.ts';
import type { HubConfig } from '../config/load-config.ts';
import { errors, isHubError, type HubError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { GraphContract } from '../plugin/graph-contract.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import { compareContract } from './contract-check.ts';
import { batchAxes, makeBatcher, type Batcher } from './batcher.ts';
import { callFailure } from './call-failure.ts';
import { checkFeeds, checkOutputs, type AxisBindings } from './feed-check.ts';
import { budgetBytes, mib, roomFor, type Resident } from './memory-budget.ts';
import type { GraphHandle, RunOptions, TensorData } from './graph-handle.ts';
import { makeGraphQueue, type GraphQueue } from './graph-queue.ts';
import { makeGraphSession, ownedCopy, type SessionGraph } from './graph-session.ts';
import type { GraphSession, OpenSessionOptions } from './resident.ts';
import type { GraphProvider, GraphStatus, WeightInspector } from './providers.ts';
import { graphLimits, poolShape } from './session-settings.ts';
import { makeWorkerPool, WorkerCallError } from './worker-pool.ts';
import type { HashResult, LoadResult, RunResult } from './worker-protocol.ts';

interface Replica {
  readonly worker: number;
  readonly provider: string;
}

interface Slot {
  /** The plugin as last handed in (tests build several views of one plugin). */
  plugin: LoadedPlugin;
  readonly name: string;
  readonly contract: GraphContract;
  /** Session key inside the workers. */
  readonly key: string;
  readonly concurrency: number;
  readonly queue: GraphQueue;
  /** Present when the contract marks a batch axis and batching is on for the graph. */
  readonly batcher: Batcher | undefined;
  replicas: Replica[];
  loading: Promise<void> | undefined;
  /** Graph sessions open on this graph (they hold state in its worker: never evicted). */
  sessions: number;
  /** Bytes one loaded copy counts against the memory budget. */
  bytesEach: number;
  /** Tick of the last run (least recently used goes first). */
  lastUsed: number;
  /** Why the sessions were last unloaded to make room, and when. */
  eviction: { readonly at: string; readonly reason: string } | undefined;
  runs: number;
  totalMs: number;
}

export interface SessionManager extends GraphProvider {
  /** Worker threads and threads per session the pool uses. */
  readonly shape: ReturnType<typeof poolShape>;
  /** Opens a graph session on some of a plugin's graphs, pinned to one worker (resident.ts). */
  open(plugin: LoadedPlugin, graphs: readonly string[], options?: OpenSessionOptions): Promise<GraphSession>;
  /** Tensor bytes that crossed between threads so far (for measurements). */
  readonly traffic: Readonly<{ messages: number; bytes: number }>;
  /** What each worker holds for graph sessions (resident tensors, running loops). */
  workerStats(): Promise<import('./worker-protocol.ts').WorkerStats[]>;
}

export function makeSessionManager(deps: { config: HubConfig; logger: Logger; weights: WeightInspector; metrics?: Metrics }): SessionManager {
  const shape = poolShape(deps.config.onnx);
  const pool = makeWorkerPool({ size: shape.workers, logger: deps.logger });
  const sessionsOn: number[] = new Array(shape.workers).fill(0);
  const slots = new Map<string, Slot>();
  const verifying = new Map<string, Promise<void>>();
  const log = deps.logger.child({ component: 'onnx' });
  const budget = budgetBytes(deps.config.onnx);
  let clock = 0;
  /** Open graph sessions: the worker each is pinned to, and why it stopped if it did. */
  const pinned = new Map<string, { worker: number; lost?: string }>();
  let nextSession = 1;

  pool.onLost((worker, reason) => {
    deps.metrics?.workerRestarts.inc({ pool: 'onnx' });
    sessionsOn[worker] = 0;
    for (const slot of slots.values()) slot.replicas = slot.replicas.filter((r) => r.worker !== worker);
    for (const pin of pinned.values()) if (pin.worker === worker) pin.lost = reason;
  });

  const slotOf = (plugin: LoadedPlugin, name: string, contract: GraphContract): Slot => {
    const key = `${plugin.decl.name}/${name}`;
    let slot = slots.get(key);
    if (!slot) {
      const limits = graphLimits(deps.config.onnx, shape.workers, plugin.decl.name, name);
      const queue = makeGraphQueue({ label: `graph '${name}' of plugin '${plugin.decl.name}'`, slots: limits.concurrency, maxQueue: limits.queueSize, deadlineMs: limits.queueDeadlineMs });
      const batcher = batcherFor(key, contract, limits);
      const created: Slot = { plugin, name, contract, key, concurrency: limits.concurrency, queue, batcher, replicas: [], loading: undefined, sessions: 0, bytesEach: 0, lastUsed: 0, eviction: undefined, runs: 0, totalMs: 0 };
      slot = created;
      slots.set(key, slot);
    }
    slot.plugin = plugin;
    return slot;
  };

  /** Batched runs go through the same path as single ones (queue, worker, output check). */
  const batcherFor = (key: string, contract: GraphContract, limits: ReturnType<typeof graphLimits>): Batcher | undefined => {
    if (!contract.batch || limits.maxBatch <= 1) return undefined;
    const axes = batchAxes(contract);
    if (typeof axes === 'string') {
      log.warn('graph not batched', { graph: key, reason: axes });
      return undefined;
    }
    return makeBatcher({
      axes,
      settings: { windowMs: limits.batchWindowMs, maxBatch: limits.maxBatch, slots: limits.concurrency },
      run: (feeds, transfer) => {
        const slot = slots.get(key)!;
        return execute(slot, feeds, checkFeeds(slot.contract, feeds).axes, { transferFeeds: transfer });
      },
      runBatch: (members) => executeBatch(slots.get(key)!, members, { inputs: Object.fromEntries(axes.inputs), outputs: Object.fromEntries(axes.outputs) }),
    });
  };

  const slotsOf = (plugin: LoadedPlugin) => Object.entries(plugin.decl.graphs ?? {}).map(([name, contract]) => slotOf(plugin, name, contract));

  /** Fails the load and, when the files themselves are at fault, remembers why until they change. */
  const refuse = (plugin: LoadedPlugin, error: HubError, persistent: boolean): never => {
    log.error('graph cannot load', { plugin: plugin.decl.name, code: error.code, detail: error.message });
    if (persistent) deps.weights.recordFailure(plugin, error);
    throw error;
  };

  /** Hashes the files no check has confirmed yet (in a worker: multi-GB files take seconds). */
  const verifyChecksums = (plugin: LoadedPlugin): Promise<void> => {
    const name = plugin.decl.name;
    let pending = verifying.get(name);
    if (!pending) {
      pending = (async () => {
        const verified: { path: string; sha256: string }[] = [];
        for (const file of deps.weights.unverifiedFiles(plugin)) {
          const found = await pool.call<HashResult>(0, { op: 'hash', path: join(deps.weights.dir(plugin), file.path) });
          if (found.sha256 !== file.sha256) {
            refuse(plugin, errors.weightsChecksum(name, file.path, file.sha256!, found.sha256, deps.weights.installCommand(plugin)), true);
          }
          verified.push({ path: file.path, sha256: found.sha256 });
        }
        if (verified.length) deps.weights.markVerified(plugin, verified);
      })().finally(() => verifying.delete(name));
      verifying.set(name, pending);
    }
    return pending;
  };

  const loadError = (slot: Slot, error: unknown): never => {
    const { plugin, name, contract } = slot;
    if (isHubError(error)) throw error;
    const call = error as WorkerCallError;
    const command = deps.weights.installCommand(plugin);
    if (call.kind === 'missing') refuse(plugin, errors.weightsMissing(plugin.decl.name, [contract.file], command), false);
    if (call.kind === 'corrupt') refuse(plugin, errors.graphCorrupt(plugin.decl.name, name, contract.file, call.message, command), true);
    return refuse(plugin, errors.graphFailed(plugin.decl.name, name, `cannot load: ${call.message}`), false);
  };

  const leastBusyWorkers = (count: number): number[] =>
    sessionsOn
      .map((sessions, worker) => ({ sessions, worker }))
      .sort((a, b) => a.sessions - b.sessions || a.worker - b.worker)
      .slice(0, count)
      .map((w) => w.worker);

  const unloadReplicas = async (slot: Slot, replicas: readonly Replica[]) => {
    await Promise.all(
      replicas.map(async (r) => {
        sessionsOn[r.worker] = Math.max(0, sessionsOn[r.worker]! - 1);
        await pool.call(r.worker, { op: 'unload', key: slot.key }).catch(() => undefined);
      }),
    );
  };

  /**
   * What one copy of the session is counted as: the contract's memoryMb, or the file's size if
   * larger. Smoke graphs count their (tiny) size: the contract describes the real weights.
   */
  const estimateBytes = (slot: Slot): number => {
    let size = 0;
    try {
      size = statSync(join(deps.weights.dir(slot.plugin), slot.contract.file)).size;
    } catch {
      // a missing file fails the load itself, with its own message
    }
    if (deps.weights.state(slot.plugin) === 'smoke') return size;
    return Math.max(size, (slot.contract.memoryMb ?? 0) * 1024 * 1024);
  };

  const residentBytes = (slot: Slot) => slot.bytesEach * (slot.loading ? Math.max(slot.replicas.length, slot.concurrency) : slot.replicas.length);

  const evict = async (slot: Slot, reason: string) => {
    const replicas = slot.replicas;
    slot.replicas = [];
    slot.eviction = { at: new Date().toISOString(), reason };
    log.info('sessions evicted', { plugin: slot.plugin.decl.name, graph: slot.name, reason });
    deps.metrics?.evictions.inc({ plugin: slot.plugin.decl.name });
    await unloadReplicas(slot, replicas);
  };

  /** Unloads idle plugins' sessions until `slot`'s copies fit the budget, or says why they cannot. */
  const makeRoom = async (slot: Slot) => {
    const need = slot.bytesEach * slot.concurrency;
    const what = `plugin '${slot.plugin.decl.name}' graph '${slot.name}' needs ${mib(need)} MiB (${slot.concurrency} × ${mib(slot.bytesEach)} MiB)`;
    const residents: (Resident & { slot: Slot })[] = [...slots.values()]
      .filter((s) => s !== slot && residentBytes(s) > 0)
      .map((s) => ({ slot: s, key: s.key, plugin: s.plugin.decl.name, bytes: residentBytes(s), lastUsed: s.lastUsed, busy: s.queue.running + s.queue.queued + s.sessions > 0 || s.loading !== undefined }));
    const { evict: chosen, reason } = roomFor(budget, need, what, slot.plugin.decl.name, residents);
    for (const r of chosen) await evict((r as (typeof residents)[number]).slot, reason);
  };

  const loadSlot = async (slot: Slot): Promise<void> => {
    const { plugin, name, contract } = slot;
    const unusable = deps.weights.unusable(plugin);
    if (unusable) throw unusable;
    if (['installed', 'unverified'].includes(deps.weights.state(plugin))) await verifyChecksums(plugin).catch((error) => loadError(slot, error));
    slot.bytesEach = estimateBytes(slot);
    await makeRoom(slot);
    const path = join(deps.weights.dir(plugin), contract.file);
    const workers = leastBusyWorkers(slot.concurrency);
    for (const w of workers) sessionsOn[w]!++;
    const settled = await Promise.allSettled(workers.map((worker) => pool.call<LoadResult>(worker, { op: 'load', key: slot.key, path, settings: shape.session })));
    const loaded = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [{ worker: workers[i]!, result: s.value }] : []));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await unloadReplicas(slot, loaded.map((l) => ({ worker: l.worker, provider: l.result.provider })));
      for (const w of workers.filter((w) => !loaded.some((l) => l.worker === w))) sessionsOn[w] = Math.max(0, sessionsOn[w]! - 1);
      loadError(slot, failed.reason);
    }
    const first = loaded[0]!.result;
    const problems = compareContract(contract, first.inputs, first.outputs);
    if (problems.length) {
      await unloadReplicas(slot, loaded.map((l) => ({ worker: l.worker, provider: l.result.provider })));
      refuse(plugin, errors.contractMismatch(plugin.decl.name, name, problems), true);
    }
    for (const warning of first.warnings) log.warn('execution provider fallback', { plugin: plugin.decl.name, graph: name, warning });
    slot.replicas = loaded.map((l) => ({ worker: l.worker, provider: l.result.provider }));
    log.info('graph loaded', { plugin: plugin.decl.name, graph: name, provider: first.provider, copies: loaded.length, ms: Math.round(first.ms) });
  };

  /** A loaded copy for queue slot `index`, loading the graph first if needed (or again after an unload). */
  const replicaFor = async (slot: Slot, index: number): Promise<Replica> => {
    for (;;) {
      if (slot.replicas.length > 0) return slot.replicas[index % slot.replicas.length]!;
      slot.loading ??= loadSlot(slot).finally(() => (slot.loading = undefined));
      await slot.loading;
    }
  };

  const run = async (slot: Slot, feeds: Readonly<Record<string, TensorData>>, options: RunOptions = {}): Promise<Record<string, TensorData>> => {
    const { plugin, name, contract } = slot;
    const checked = checkFeeds(contract, feeds);
    if (checked.problems.length) {
      const error = errors.graphFeedInvalid(plugin.decl.name, name, checked.problems);
      log.error('plugin fed a graph wrong tensors', { plugin: plugin.decl.name, graph: name, problems: checked.problems });
      throw error;
    }
    if (slot.batcher) return slot.batcher.submit(feeds, options.signal, options.transferFeeds === true);
    return execute(slot, feeds, checked.axes, options);
  };

  /** Queues `work` for the slot and gives it a worker holding the session; counts the run's time. */
  const onReplica = <T extends { ms: number }>(slot: Slot, signal: AbortSignal | undefined, work: (worker: number) => Promise<T>): Promise<T> => {
    const { plugin, name } = slot;
    const queuedAt = performance.now();
    return slot.queue.run(async (index) => {
      deps.metrics?.queueWait.observe({ queue: 'graph', name: slot.key }, (performance.now() - queuedAt) / 1000);
      slot.lastUsed = ++clock;
      const replica = await replicaFor(slot, index);
      let result: T;
      try {
        result = await work(replica.worker);
      } catch (error) {
        throw callFailure(plugin.decl.name, name, error);
      }
      slot.runs++;
      slot.totalMs += result.ms;
      deps.metrics?.graphRun.observe({ plugin: plugin.decl.name, graph: name }, result.ms / 1000);
      return result;
    }, signal);
  };

  const checkedOutputs = (slot: Slot, outputs: Record<string, TensorData>, axes: AxisBindings) => {
    const problems = checkOutputs(slot.contract, outputs, axes);
    if (problems.length) {
      log.error('graph returned tensors that break its contract', { plugin: slot.plugin.decl.name, graph: slot.name, problems });
      throw errors.contractMismatch(slot.plugin.decl.name, slot.name, problems);
    }
    return outputs;
  };

  const execute = async (slot: Slot, feeds: Readonly<Record<string, TensorData>>, axes: AxisBindings, options: RunOptions): Promise<Record<string, TensorData>> => {
    const fetches = slot.contract.outputs.map((o) => o.name);
    const result = await onReplica(slot, options.signal, (worker) => {
      const { payload, transfer } = feedsForWorker(feeds, options.transferFeeds === true);
      return pool.call<RunResult>(worker, { op: 'run', key: slot.key, feeds: payload, fetches }, transfer);
    });
    return checkedOutputs(slot, result.outputs, axes);
  };

  /** Several callers' feeds in one session.run; each caller's outputs are checked against its own dims. */
  const executeBatch = async (
    slot: Slot,
    members: readonly { feeds: Readonly<Record<string, TensorData>>; transfer: boolean }[],
    axes: { inputs: Record<string, number>; outputs: Record<string, number> },
  ): Promise<Record<string, TensorData>[]> => {
    const fetches = slot.contract.outputs.map((o) => o.name);
    // Read each caller's dims now: feeds handed over with `transfer` are empty once sent.
    const memberAxes = members.map((m) => checkFeeds(slot.contract, m.feeds).axes);
    const result = await onReplica(slot, undefined, (worker) => {
      const sent = members.map((m) => feedsForWorker(m.feeds, m.transfer));
      const request = { op: 'runBatch' as const, key: slot.key, members: sent.map((s) => s.payload), inputAxes: axes.inputs, outputAxes: axes.outputs, fetches };
      return pool.call<BatchRunResult>(worker, request, sent.flatMap((s) => s.transfer));
    });
    return result.outputs.map((outputs, i) => checkedOutputs(slot, outputs, memberAxes[i]!));
  };

  /** Puts a copy of the graph's session on `worker` (a graph session needs all its graphs in one worker). */
  const addReplica = async (slot: Slot, worker: number) => {
    sessionsOn[worker]!++;
    try {
      const path = join(deps.weights.dir(slot.plugin), slot.contract.file);
      const result = await pool.call<LoadResult>(worker, { op: 'load', key: slot.key, path, settings: shape.session });
      slot.replicas = [...slot.replicas, { worker, provider: result.provider }];
    } catch (error) {
      sessionsOn[worker] = Math.max(0, sessionsOn[worker]! - 1);
      loadError(slot, error);
    }
  };

  const open = async (plugin: LoadedPlugin, names: readonly string[], options: OpenSessionOptions = {}): Promise<GraphSession> => {
    const declared = plugin.decl.graphs ?? {};
    const wanted = [...new Set(names)];
    for (const name of wanted) if (!Object.hasOwn(declared, name)) throw errors.graphFailed(plugin.decl.name, name, `no such graph (graphs: ${Object.keys(declared).join(', ')})`);
    const chosen = wanted.map((name) => slotOf(plugin, name, declared[name]!));
    for (const slot of chosen) await replicaFor(slot, 0);
    // The worker that already holds the most of them; the others get a copy there.
    const candidates = chosen[0]!.replicas.map((r) => r.worker);
    const worker = candidates.sort((a, b) => held(chosen, b) - held(chosen, a))[0]!;
    for (const slot of chosen) if (!slot.replicas.some((r) => r.worker === worker)) await addReplica(slot, worker);
    const id = `gs${nextSession++}`;
    pinned.set(id, { worker });
    for (const slot of chosen) slot.sessions++;
    const graphs = new Map<string, SessionGraph>(chosen.map((slot) => [slot.name, { key: slot.key, contract: slot.contract, queue: slot.queue }]));
    return makeGraphSession({
      id,
      plugin: plugin.decl.name,
      worker,
      pool,
      graphs,
      signal: options.signal,
      failure: (graph, error) => callFailure(plugin.decl.name, graph, error),
      lost: () => pinned.get(id)?.lost,
      ran(graph, ms) {
        const slot = chosen.find((s) => s.name === graph)!;
        slot.lastUsed = ++clock;
        slot.runs++;
        slot.totalMs += ms;
      },
      onClose() {
        pinned.delete(id);
        for (const slot of chosen) slot.sessions--;
      },
    });
  };

  const statusOf = (slot: Slot): GraphStatus => ({
    name: slot.name,
    file: slot.contract.file,
    loaded: slot.replicas.length > 0,
    providers: slot.replicas.map((r) => r.provider),
    memoryMb: slot.contract.memoryMb,
    running: slot.queue.running,
    queued: slot.queue.queued,
    runs: slot.runs,
    meanRunMs: slot.runs ? slot.totalMs / slot.runs : undefined,
    ...(slot.batcher ? { batching: { ...slot.batcher.stats } } : {}),
    residentBytes: slot.bytesEach * slot.replicas.length,
    eviction: slot.eviction,
  });

  return {
    shape,
    open,
    traffic: pool.traffic,
    workerStats: () => Promise.all(Array.from({ length: pool.size }, (_, worker) => pool.call<import('./worker-protocol.ts').WorkerStats>(worker, { op: 'stats' }))),
    handlesFor(plugin) {
      return Object.fromEntries(
        slotsOf(plugin).map((slot): [string, GraphHandle] => [
          slot.name,
          {
            name: slot.name,
            contract: slot.contract,
            run: (feeds, options) => run(slot, feeds, options),
            open: (options = {}) => open(plugin, [slot.name, ...(options.with ?? [])], options),
          },
        ]),
      );
    },
    async load(plugin) {
      const all = slotsOf(plugin);
      for (const slot of all) await replicaFor(slot, 0);
      return all.map(statusOf);
    },
    async unload(plugin) {
      for (const slot of slotsOf(plugin)) {
        await slot.loading?.catch(() => undefined);
        const replicas = slot.replicas;
        slot.replicas = [];
        await unloadReplicas(slot, replicas);
      }
    },
    status: (plugin) => slotsOf(plugin).map(statusOf),
    async dispose() {
      for (const slot of slots.values()) slot.queue.rejectWaiting(errors.unavailable('the hub is shutting down'));
      await pool.dispose();
    },
  };
}

/** How many of `slots` have a copy on `worker`. */
function held(slots: readonly Slot[], worker: number): number {
  return slots.filter((s) => s.replicas.some((r) => r.worker === worker)).length;
}

/**
 * Feeds for postMessage. A view on part of a larger buffer is copied down to its own bytes
 * (structured clone would copy the whole buffer); with `transfer`, buffers move instead of
 * being copied and the caller's arrays become unusable.
 */
function feedsForWorker(feeds: Readonly<Record<string, TensorData>>, transfer: boolean) {
  const payload: Record<string, TensorData> = {};
  const buffers = new Set<ArrayBuffer>();
  for (const [name, tensor] of Object.entries(feeds)) {
    payload[name] = ownedCopy(tensor);
    const buffer = payload[name].data.buffer;
    if (transfer && buffer instanceof ArrayBuffer) buffers.add(buffer);
  }
  return { payload, transfer: [...buffers] };
}
