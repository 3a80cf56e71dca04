// Runs in a worker thread and owns ONNX sessions there. onnxruntime-node computes a run on
// the calling thread, so a run here leaves the main event loop free. Requests are handled
// strictly one after another: an unload never races a run of the same session.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type { TensorData, TensorArray } from './graph-handle.ts';
import type { FailureKind, HashResult, LoadResult, RunResult, SessionSettings, WorkerReply, WorkerRequest } from './worker-protocol.ts';

class WorkerFailure extends Error {
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

const sessions = new Map<string, ort.InferenceSession>();
/** Providers that failed once in this worker (a missing library does not appear later). */
const unavailable = new Map<string, string>();

const optionsFor = (provider: string, settings: SessionSettings): ort.InferenceSession.SessionOptions => ({
  executionProviders: [provider === 'cuda' ? { name: 'cuda', deviceId: 0 } : provider],
  intraOpNumThreads: settings.intraOpNumThreads,
  interOpNumThreads: 1,
  graphOptimizationLevel: settings.graphOptimizationLevel,
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
      await sessions.get(key)?.release();
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

/** A typed array that owns its whole buffer can be transferred instead of copied. */
function ownBuffer(data: TensorArray): TensorArray {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : (data.slice() as TensorArray);
}

async function run(key: string, feeds: Record<string, TensorData>, fetches: readonly string[]): Promise<RunResult> {
  const session = sessions.get(key);
  if (!session) throw new WorkerFailure('failed', `session ${key} is not loaded in this worker`);
  const started = performance.now();
  const tensors: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) tensors[name] = new ort.Tensor(t.type as ort.Tensor.Type, t.data as never, t.dims as number[]);
  const result = await session.run(tensors, fetches as string[]);
  const outputs: Record<string, TensorData> = {};
  for (const name of fetches) {
    const tensor = result[name]!;
    outputs[name] = { type: tensor.type as TensorData['type'], data: ownBuffer(tensor.data as TensorArray), dims: [...tensor.dims] };
  }
  return { outputs, ms: performance.now() - started };
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

async function handle(request: WorkerRequest): Promise<LoadResult | RunResult | HashResult | null> {
  switch (request.op) {
    case 'load':
      return load(request.key, request.path, request.settings);
    case 'run':
      return run(request.key, request.feeds, request.fetches);
    case 'unload':
      await sessions.get(request.key)?.release();
      sessions.delete(request.key);
      return null;
    case 'hash':
      return hash(request.path);
  }
}

/** Output buffers move to the main thread instead of being copied. */
function transferablesOf(request: WorkerRequest, result: unknown): ArrayBuffer[] {
  if (request.op !== 'run') return [];
  return Object.values((result as RunResult).outputs).map((t) => t.data.buffer as ArrayBuffer);
}

let chain = Promise.resolve();
parentPort!.on('message', (request: WorkerRequest) => {
  chain = chain.then(async () => {
    let reply: WorkerReply;
    try {
      const result = await handle(request);
      reply = { id: request.id, ok: true, result };
    } catch (error) {
      const kind = error instanceof WorkerFailure ? error.kind : 'failed';
      reply = { id: request.id, ok: false, kind, message: (error as Error).message.split('\n')[0]! };
    }
    parentPort!.postMessage(reply, reply.ok ? transferablesOf(request, reply.result) : []);
  });
});
