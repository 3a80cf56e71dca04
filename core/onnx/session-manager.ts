// One session manager for every plugin. Graphs load lazily on first run (or on an explicit
// load), in worker threads, after the plugin's files pass their sha256 check; the loaded
// model is compared with the contract before anyone may run it. Each graph admits runs
// through its own bounded queue. Disposed at shutdown: waiters fail, workers stop.
import { join } from 'node:path';
import type { HubConfig } from '../config/load-config.ts';
import { errors, isHubError, type HubError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { GraphContract } from '../plugin/types.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import { compareContract } from './contract-check.ts';
import { checkFeeds, checkOutputs } from './feed-check.ts';
import type { GraphHandle, RunOptions, TensorData } from './graph-handle.ts';
import { makeGraphQueue, type GraphQueue } from './graph-queue.ts';
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
  replicas: Replica[];
  loading: Promise<void> | undefined;
  runs: number;
  totalMs: number;
}

export interface SessionManager extends GraphProvider {
  /** Worker threads and threads per session the pool uses. */
  readonly shape: ReturnType<typeof poolShape>;
}

export function makeSessionManager(deps: { config: HubConfig; logger: Logger; weights: WeightInspector }): SessionManager {
  const shape = poolShape(deps.config.onnx);
  const pool = makeWorkerPool({ size: shape.workers, logger: deps.logger });
  const sessionsOn: number[] = new Array(shape.workers).fill(0);
  const slots = new Map<string, Slot>();
  const verifying = new Map<string, Promise<void>>();
  const log = deps.logger.child({ component: 'onnx' });

  pool.onLost((worker) => {
    sessionsOn[worker] = 0;
    for (const slot of slots.values()) slot.replicas = slot.replicas.filter((r) => r.worker !== worker);
  });

  const slotOf = (plugin: LoadedPlugin, name: string, contract: GraphContract): Slot => {
    const key = `${plugin.decl.name}/${name}`;
    let slot = slots.get(key);
    if (!slot) {
      const limits = graphLimits(deps.config.onnx, shape.workers, plugin.decl.name, name);
      const queue = makeGraphQueue({ label: `graph '${name}' of plugin '${plugin.decl.name}'`, slots: limits.concurrency, maxQueue: limits.queueSize, deadlineMs: limits.queueDeadlineMs });
      slot = { plugin, name, contract, key, concurrency: limits.concurrency, queue, replicas: [], loading: undefined, runs: 0, totalMs: 0 };
      slots.set(key, slot);
    }
    slot.plugin = plugin;
    return slot;
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

  const loadSlot = async (slot: Slot): Promise<void> => {
    const { plugin, name, contract } = slot;
    const unusable = deps.weights.unusable(plugin);
    if (unusable) throw unusable;
    if (['installed', 'unverified'].includes(deps.weights.state(plugin))) await verifyChecksums(plugin).catch((error) => loadError(slot, error));
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
    return slot.queue.run(async (index) => {
      const replica = await replicaFor(slot, index);
      const { payload, transfer } = feedsForWorker(feeds, options.transferFeeds === true);
      let result: RunResult;
      try {
        result = await pool.call<RunResult>(replica.worker, { op: 'run', key: slot.key, feeds: payload, fetches: contract.outputs.map((o) => o.name) }, transfer);
      } catch (error) {
        throw errors.graphFailed(plugin.decl.name, name, (error as Error).message);
      }
      slot.runs++;
      slot.totalMs += result.ms;
      const problems = checkOutputs(contract, result.outputs, checked.axes);
      if (problems.length) {
        log.error('graph returned tensors that break its contract', { plugin: plugin.decl.name, graph: name, problems });
        throw errors.contractMismatch(plugin.decl.name, name, problems);
      }
      return result.outputs;
    }, options.signal);
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
  });

  return {
    shape,
    handlesFor(plugin) {
      return Object.fromEntries(
        slotsOf(plugin).map((slot): [string, GraphHandle] => [slot.name, { name: slot.name, contract: slot.contract, run: (feeds, options) => run(slot, feeds, options) }]),
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

/**
 * Feeds for postMessage. A view on part of a larger buffer is copied down to its own bytes
 * (structured clone would copy the whole buffer); with `transfer`, buffers move instead of
 * being copied and the caller's arrays become unusable.
 */
function feedsForWorker(feeds: Readonly<Record<string, TensorData>>, transfer: boolean) {
  const payload: Record<string, TensorData> = {};
  const buffers = new Set<ArrayBuffer>();
  for (const [name, tensor] of Object.entries(feeds)) {
    const whole = tensor.data.byteOffset === 0 && tensor.data.byteLength === tensor.data.buffer.byteLength;
    const data = whole ? tensor.data : (tensor.data.slice() as typeof tensor.data);
    payload[name] = { type: tensor.type, data, dims: [...tensor.dims] };
    if (transfer && data.buffer instanceof ArrayBuffer) buffers.add(data.buffer);
  }
  return { payload, transfer: [...buffers] };
}
