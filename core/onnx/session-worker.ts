// Runs in a worker thread and owns ONNX sessions there. onnxruntime-node computes a run on
// the calling thread, so a run here leaves the main event loop free. Session calls are
// handled strictly one after another (an unload never races a run of the same session);
// a plugin's loop runs beside that line and puts each of its steps into it, so several
// loops and plain runs on one worker take turns step by step.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { parentPort, threadId } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { tsImport } from 'tsx/esm/api';
import type { TensorArray, TensorData } from './graph-handle.ts';
import { WorkerFailure } from './worker-failure.ts';
import { isWorkerLoop, type LoopIO, type LoopTensor, type WorkerLoop } from './worker-loop.ts';
import { makeResidentTable } from './worker-residents.ts';
import { concatAlong, splitAlong } from './batch-tensors.ts';
import type { TensorShape } from './resident.ts';
import { ELEMENT_INFO } from './tensor-types.ts';
import type { BatchRunResult, HashResult, LoadResult, LoopEvent, Ownership, RunResult, SessionSettings, WorkerReply, WorkerRequest, WorkerStats } from './worker-protocol.ts';

const sessions = new Map<string, ort.InferenceSession>();
const residents = makeResidentTable(`t${threadId}-`);
/** Providers that failed once in this worker (a missing library does not appear later). */
const unavailable = new Map<string, string>();
let loopsRunning = 0;

const setOf = (key: string) => key.slice(0, key.lastIndexOf('/'));

const optionsFor = (provider: string, settings: SessionSettings): ort.InferenceSession.SessionOptions => ({
  executionProviders: [provider === 'cuda' ? { name: 'cuda', deviceId: 0 } : provider],
  intraOpNumThreads: settings.intraOpNumThreads,
  interOpNumThreads: 1,
  graphOptimizationLevel: settings.graphOptimizationLevel,
  // onnxruntime's pool threads busy-wait for the next op by default. On a machine the hub
  // shares with itself (event loop, audio workers, other sessions) that spinning takes the
  // cores the others need: 8 vocoder clients on 2 cores made 62-71 calls/s spinning, 77-83 not.
  ...(settings.spinWait ? {} : { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } }),
  // Probing a provider that is not installed logs a native error; the warning we return says it better.
  logSeverityLevel: provider === 'cpu' ? 2 : 4,
});

async function load(key: string, path: string, settings: SessionSettings): Promise<LoadResult> {
  if (!existsSync(path) || !statSync(path).isFile()) throw new WorkerFailure('missing', `${path} does not exist`);
  const started = performance.now();
  const providers = [...new Set([...settings.executionProviders.filter((p) => p !== 'cpu'), 'cpu'])];
  const warnings: string[] = [];
  for (const provider of providers) {
    const known = unavailable.get(provider);
    if (known) {
      warnings.push(known);
      continue;
    }
    try {
      // Loaded by path, so graphs over 2 GB with ONNX external data next to them work.
      const session = await ort.InferenceSession.create(path, optionsFor(provider, settings));
      await unload(key);
      sessions.set(key, session);
      return {
        provider,
        warnings,
        inputs: session.inputMetadata.map((m) => ({ ...m, shape: m.isTensor ? [...m.shape] : undefined })),
        outputs: session.outputMetadata.map((m) => ({ ...m, shape: m.isTensor ? [...m.shape] : undefined })),
        ms: performance.now() - started,
      };
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0]!;
      if (provider === 'cpu') throw new WorkerFailure('corrupt', reason);
      const warning = `execution provider '${provider}' unavailable (${reason}); falling back`;
      // A provider that loads other models fine may still refuse this one: only a missing library is remembered.
      if (/shared library|not (?:supported|available|compiled)|unknown provider|backend/i.test(reason)) unavailable.set(provider, warning);
      warnings.push(warning);
    }
  }
  throw new WorkerFailure('failed', 'no execution provider could load the model');
}

async function unload(key: string) {
  const session = sessions.get(key);
  if (!session) return;
  sessions.delete(key);
  // What the set's graphs made may have been shaped by this session: a reload must not read it.
  residents.dropSet(setOf(key));
  await session.release();
}

/** A typed array that owns its whole buffer can be transferred instead of copied. */
function ownBuffer(data: TensorArray): TensorArray {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : (data.slice() as TensorArray);
}

const zerosOf = (shape: TensorShape): TensorData => ({ ...shape, data: new ELEMENT_INFO[shape.type].array(shape.dims.reduce((a, b) => a * b, 1)) });
const toTensor = (t: TensorData | LoopTensor): LoopTensor => (t instanceof ort.Tensor ? t : new ort.Tensor(t.type as ort.Tensor.Type, t.data as never, t.dims as number[]));
const toData = (tensor: ort.Tensor): TensorData => ({ type: tensor.type as TensorData['type'], data: ownBuffer(tensor.data as TensorArray), dims: [...tensor.dims] });

function sessionOf(key: string): ort.InferenceSession {
  const session = sessions.get(key);
  if (!session) throw new WorkerFailure('stale', `session ${key} is not loaded in this worker`);
  return session;
}

async function run(request: Extract<WorkerRequest, { op: 'run' }>): Promise<RunResult> {
  const session = sessionOf(request.key);
  const started = performance.now();
  const tensors: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(request.feeds)) tensors[name] = toTensor(t);
  for (const [name, id] of Object.entries(request.refs ?? {})) {
    if (!request.ownership) throw new WorkerFailure('foreign', `input '${name}': resident tensors need a graph session`);
    tensors[name] = residents.resolve(id, request.ownership, `input '${name}'`);
  }
  checkResidentTypes(session, tensors, request.refs);
  const result = await session.run(tensors, request.fetches as string[]);
  const outputs: Record<string, TensorData> = {};
  const kept: RunResult['kept'] = {};
  for (const name of request.fetches) {
    const slot = request.keep?.[name];
    if (slot !== undefined && request.ownership) kept[name] = residents.store(request.ownership, slot, result[name]!);
    else outputs[name] = toData(result[name]!);
  }
  return { outputs, kept, ms: performance.now() - started };
}

async function runBatch(request: Extract<WorkerRequest, { op: 'runBatch' }>): Promise<BatchRunResult> {
  const session = sessionOf(request.key);
  const started = performance.now();
  const first = request.members[0]!;
  const tensors: Record<string, ort.Tensor> = {};
  for (const name of Object.keys(first)) {
    const at = request.inputAxes[name];
    tensors[name] = toTensor(at === undefined ? first[name]! : concatAlong(request.members.map((m) => m[name]!), at));
  }
  const sizeAxis = Object.entries(request.inputAxes)[0]!;
  const sizes = request.members.map((m) => m[sizeAxis[0]]!.dims[sizeAxis[1]]!);
  const result = await session.run(tensors, request.fetches as string[]);
  const outputs: Record<string, TensorData>[] = request.members.map(() => ({}));
  for (const name of request.fetches) {
    const pieces = splitAlong(toData(result[name]!), request.outputAxes[name]!, sizes);
    pieces.forEach((piece, i) => (outputs[i]![name] = piece));
  }
  return { outputs, ms: performance.now() - started };
}

/** A resident fed where the graph wants another element type fails by name, not deep in onnxruntime. */
function checkResidentTypes(session: ort.InferenceSession, tensors: Record<string, ort.Tensor>, refs: Record<string, string> | undefined) {
  for (const name of Object.keys(refs ?? {})) {
    const meta = session.inputMetadata.find((m) => m.name === name);
    if (!meta) throw new WorkerFailure('shape', `input '${name}': not an input of this graph`);
    const tensor = tensors[name]!;
    if (meta.isTensor && meta.type !== tensor.type) throw new WorkerFailure('shape', `input '${name}': resident tensor is ${tensor.type}, the graph wants ${meta.type}`);
    if (meta.isTensor && meta.shape.length !== tensor.dims.length) {
      throw new WorkerFailure('shape', `input '${name}': resident tensor has rank ${tensor.dims.length}, the graph wants ${meta.shape.length}`);
    }
  }
}

let chain: Promise<unknown> = Promise.resolve();
/** Puts `task` in the line of session calls. */
function serial<T>(task: () => Promise<T>): Promise<T> {
  const done = chain.then(task);
  chain = done.catch(() => undefined);
  return done;
}

const loopModules = new Map<string, Promise<WorkerLoop>>();
function loopModule(url: string): Promise<WorkerLoop> {
  let pending = loopModules.get(url);
  if (!pending) {
    pending = tsImport(url, import.meta.url).then((module: { default?: unknown }) => {
      if (!isWorkerLoop(module.default)) throw new WorkerFailure('failed', `${url} does not default-export defineWorkerLoop(...)`);
      return module.default;
    });
    pending.catch(() => loopModules.delete(url));
    loopModules.set(url, pending);
  }
  return pending;
}

/** How long a loop may keep this worker to itself between two looks at its other requests. */
const YIELD_EVERY_MS = 2;
let lastYield = 0;

// Loop events (tokens, progress) wait here until the worker's event loop turns — at most
// YIELD_EVERY_MS while a loop runs — and cross in one message: each message costs the main
// thread a dispatch, and eight loops' tokens one by one kept it busy in bursts.
const outbox: { id: number; event: LoopEvent }[] = [];
let outboxFlush: NodeJS.Immediate | undefined;
function flushEvents(): void {
  if (outboxFlush) clearImmediate(outboxFlush);
  outboxFlush = undefined;
  if (outbox.length) parentPort!.postMessage({ events: outbox.splice(0) } satisfies WorkerReply);
}

async function loop(request: Extract<WorkerRequest, { op: 'loop' }>): Promise<unknown> {
  const cancel = new Int32Array(request.cancel);
  const event = (e: LoopEvent) => {
    outbox.push({ id: request.id, event: e });
    outboxFlush ??= setImmediate(flushEvents);
  };
  const who: Ownership = request.ownership;
  const io: LoopIO = {
    async run(graph, feeds, fetches) {
      const key = request.keys[graph];
      if (!key) throw new WorkerFailure('failed', `graph '${graph}' is not part of this graph session (${Object.keys(request.keys).join(', ')})`);
      io.throwIfCancelled();
      // Let other requests for this worker (another loop's step, a load) in between steps, at
      // most YIELD_EVERY_MS apart: a turn of the event loop costs more than a small graph's
      // whole run, and a cancel needs none (it is a shared flag, checked before every run).
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await new Promise(setImmediate);
        lastYield = performance.now();
        io.throwIfCancelled();
      }
      return serial(async () => {
        const session = sessionOf(key);
        const tensors: Record<string, ort.Tensor> = {};
        for (const [name, t] of Object.entries(feeds)) tensors[name] = toTensor(t);
        return session.run(tensors, (fetches ?? session.outputNames) as string[]);
      });
    },
    resident: (slot) => residents.slot(who, slot),
    tensor: (type, data, dims) => new ort.Tensor(type as ort.Tensor.Type, data as never, dims as number[]),
    emit: (value) => event({ kind: 'emit', value }),
    progress: (step, total, message) => event({ kind: 'progress', step, total, ...(message === undefined ? {} : { message }) }),
    get cancelled() {
      return Atomics.load(cancel, 0) !== 0;
    },
    throwIfCancelled() {
      if (Atomics.load(cancel, 0) !== 0) throw new WorkerFailure('cancelled', 'the loop was cancelled');
    },
  };
  const module = await loopModule(request.module);
  loopsRunning++;
  try {
    return await module.run(io, request.input);
  } finally {
    loopsRunning--;
  }
}

async function hash(path: string): Promise<HashResult> {
  if (!existsSync(path)) throw new WorkerFailure('missing', `${path} does not exist`);
  const digest = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) {
    digest.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: digest.digest('hex'), size };
}

function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'load':
      return serial(() => load(request.key, request.path, request.settings));
    case 'run':
      return serial(() => run(request));
    case 'runBatch':
      return serial(() => runBatch(request));
    case 'put':
      return serial(async () => Object.fromEntries(Object.entries(request.tensors).map(([slot, t]) => [slot, residents.store(request.ownership, slot, toTensor('data' in t ? t : zerosOf(t)))])));
    case 'release':
      return serial(async () => ({ freed: residents.release(request.owner) }));
    case 'loop':
      // Beside the line, not in it: its steps join the line one by one.
      return loop(request);
    case 'unload':
      return serial(() => unload(request.key).then(() => null));
    case 'stats':
      return serial(async () => ({ ...residents.stats(), loops: loopsRunning }) satisfies WorkerStats);
    case 'hash':
      return serial(() => hash(request.path));
  }
}

/** Output buffers move to the main thread instead of being copied. */
function transferablesOf(request: WorkerRequest, result: unknown): ArrayBuffer[] {
  if (request.op === 'runBatch') return (result as BatchRunResult).outputs.flatMap((o) => Object.values(o).map((t) => t.data.buffer as ArrayBuffer));
  if (request.op !== 'run') return [];
  return Object.values((result as RunResult).outputs).map((t) => t.data.buffer as ArrayBuffer);
}

parentPort!.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (result) => {
      flushEvents(); // a loop's last events go before its result
      parentPort!.postMessage({ id: request.id, ok: true, result } satisfies WorkerReply, transferablesOf(request, result));
    },
    (error: unknown) => {
      flushEvents();
      const kind = error instanceof WorkerFailure ? error.kind : 'failed';
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      parentPort!.postMessage({ id: request.id, ok: false, kind, message } satisfies WorkerReply);
    },
  );
});
