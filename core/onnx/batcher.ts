// Dynamic batching for a graph whose contract marks a batch axis: runs that arrive within a
// short window and agree on every other dim (and on every tensor without the axis) are
// concatenated along the axis into one session.run, and the outputs are cut back apart.
// Only equal shapes share a run (bucketing by exact length), so each caller's slice is
// what its own run would have computed, bit for bit, for graphs whose items do not interact.
import type { GraphContract, TensorContract } from '../plugin/graph-contract.ts';
import { parseDim } from './dim-expr.ts';
import type { TensorData } from './graph-handle.ts';

export interface BatchSettings {
  /** How long the first run of a batch waits for company while every copy of the session is busy, in ms. */
  readonly windowMs: number;
  /** Most runs (batch items, counted by caller) in one session.run. */
  readonly maxBatch: number;
  /** Runs the graph takes at once; while fewer are in flight a batch starts without waiting. */
  readonly slots: number;
}

export interface Batcher {
  /** With `transfer`, the feeds' buffers may move to the worker (the caller's arrays become unusable). */
  submit(feeds: Readonly<Record<string, TensorData>>, signal?: AbortSignal, transfer?: boolean): Promise<Record<string, TensorData>>;
  /** Runs and batched session.runs so far. */
  readonly stats: { submitted: number; batches: number; largest: number };
}

interface Waiting {
  readonly feeds: Readonly<Record<string, TensorData>>;
  readonly transfer: boolean;
  readonly size: number;
  resolve(outputs: Record<string, TensorData>): void;
  reject(error: unknown): void;
  readonly signal?: AbortSignal;
  onAbort?: () => void;
}

interface Group {
  readonly key: string;
  readonly members: Waiting[];
  timer?: NodeJS.Timeout;
}

/** Where the batch axis sits in each tensor, or why the graph cannot be batched. */
export function batchAxes(contract: GraphContract): { inputs: Map<string, number>; outputs: Map<string, number> } | string {
  const axis = contract.batch?.axis;
  if (!axis) return 'the contract marks no batch axis';
  const indexOf = (t: TensorContract) => t.dims.findIndex((d) => typeof d === 'string' && parseDim(d).kind === 'axis' && d === axis);
  const inputs = new Map<string, number>();
  for (const t of contract.inputs) if (indexOf(t) >= 0) inputs.set(t.name, indexOf(t));
  const outputs = new Map<string, number>();
  for (const t of contract.outputs) {
    if (indexOf(t) < 0) return `output '${t.name}' has no '${axis}' axis to split along`;
    outputs.set(t.name, indexOf(t));
  }
  if (inputs.size === 0) return `no input has the '${axis}' axis`;
  return { inputs, outputs };
}

const SMALL_TENSOR_BYTES = 4096;

/** Runs may share a batch when this agrees: dims apart from the batch axis, and the bytes of unbatched tensors. */
function compatibilityKey(feeds: Readonly<Record<string, TensorData>>, axes: ReadonlyMap<string, number>): string | undefined {
  const parts: string[] = [];
  for (const name of Object.keys(feeds).sort()) {
    const t = feeds[name]!;
    const at = axes.get(name);
    if (at !== undefined) {
      parts.push(`${name}:${t.type}:${t.dims.map((d, i) => (i === at ? '*' : d)).join('x')}`);
      continue;
    }
    // A tensor without the batch axis is shared by the whole batch: only identical small ones may be.
    if (t.data.byteLength > SMALL_TENSOR_BYTES) return undefined;
    parts.push(`${name}:${t.type}:${t.dims.join('x')}:${Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64')}`);
  }
  return parts.join('|');
}

export function makeBatcher(options: {
  readonly axes: { inputs: ReadonlyMap<string, number>; outputs: ReadonlyMap<string, number> };
  readonly settings: BatchSettings;
  /** Runs one caller's feeds alone. */
  readonly run: (feeds: Readonly<Record<string, TensorData>>, transfer: boolean) => Promise<Record<string, TensorData>>;
  /** Runs several callers' feeds as one session.run (joined and cut apart where the session lives); outputs in members' order. */
  readonly runBatch: (members: readonly { feeds: Readonly<Record<string, TensorData>>; transfer: boolean }[]) => Promise<Record<string, TensorData>[]>;
}): Batcher {
  const { axes, settings } = options;
  const groups = new Map<string, Group>();
  const stats = { submitted: 0, batches: 0, largest: 0 };
  let inflight = 0;
  /** A finished run frees a slot: the oldest waiting group goes at once rather than at its timer. */
  const settled = () => {
    inflight--;
    const next = groups.values().next();
    if (!next.done) flush(next.value);
  };
  const dispatch = <T>(running: Promise<T>) => {
    inflight++;
    running.then(settled, settled);
    return running;
  };
  const [firstBatched, firstAxis] = [...axes.inputs][0]!;

  const flush = (group: Group) => {
    // A group is flushed once: a full group goes at once, and its start timer (or immediate)
    // must not run the same members again.
    if (groups.get(group.key) !== group) return;
    groups.delete(group.key);
    clearTimeout(group.timer);
    const members = group.members.filter((m) => !m.signal?.aborted);
    for (const m of group.members) if (m.onAbort) m.signal!.removeEventListener('abort', m.onAbort);
    if (members.length === 0) return;
    stats.batches++;
    stats.largest = Math.max(stats.largest, members.length);
    if (members.length === 1) {
      dispatch(options.run(members[0]!.feeds, members[0]!.transfer)).then(members[0]!.resolve, members[0]!.reject);
      return;
    }
    dispatch(options.runBatch(members)).then(
      (outputs) => members.forEach((m, i) => m.resolve(outputs[i]!)),
      (error: unknown) => members.forEach((m) => m.reject(error)),
    );
  };

  return {
    stats,
    submit(feeds, signal, transfer = false) {
      stats.submitted++;
      const key = compatibilityKey(feeds, axes.inputs);
      if (key === undefined || settings.maxBatch <= 1) return options.run(feeds, transfer);
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        const size = feeds[firstBatched]!.dims[firstAxis]!;
        const waiting: Waiting = { feeds, transfer, size, resolve, reject, signal };
        let group = groups.get(key);
        if (group && group.members.reduce((n, m) => n + m.size, 0) + size > settings.maxBatch) {
          flush(group);
          group = undefined;
        }
        if (!group) {
          group = { key, members: [] };
          groups.set(key, group);
          const created = group;
          // An idle graph starts at once (after this tick, so runs submitted together still share
          // it); a busy one collects until a run finishes or the window closes.
          if (inflight < settings.slots) setImmediate(() => flush(created));
          else group.timer = setTimeout(() => flush(created), settings.windowMs);
        }
        group.members.push(waiting);
        if (signal) {
          waiting.onAbort = () => reject(signal.reason);
          signal.addEventListener('abort', waiting.onAbort, { once: true });
        }
        if (group.members.reduce((n, m) => n + m.size, 0) >= settings.maxBatch) flush(group);
      });
    },
  };
}
