// Capability calls from an API-only process (`--role api`). The surfaces use plugins through
// capabilities (speech, transcription, conversion), not routes, so the route dispatcher's
// queue hop does not cover them. On such a process their providers are stand-ins: each
// method call becomes a `hub:capability` task that a worker runs against the real provider,
// its arguments and result carried by V8's structured serialisation (typed arrays intact),
// its progress relayed to the caller's context, and the caller's abort cancelling it. The
// caller cannot tell the difference, except that the inference ran on a worker and that a
// streaming method's pieces arrive together, after the worker has produced all of them.
import { readFile } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import { deserialize, serialize } from 'node:v8';
import type { CapabilityProvider, CapabilityRegistry } from '../capabilities.ts';
import { errors } from '../errors.ts';
import type { Principal } from '../http/request-types.ts';
import type { HandlerContext } from '../plugin/context.ts';
import type { CallBase, PluginRuntime } from '../plugin/runtime.ts';
import type { Jobs } from './jobs.ts';
import type { SystemTaskKind } from './system-task.ts';
import { isFinal, type ProgressEvent } from './types.ts';

/** Stands in for the caller's HandlerContext among the arguments; the worker puts its own there. */
const CONTEXT = '\u0000hub:context';

/** Marks the collected pieces of a streaming method's result. */
const PIECES = '\u0000hub:pieces';

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';

async function collect(pieces: AsyncIterable<unknown>): Promise<unknown[]> {
  const all: unknown[] = [];
  for await (const piece of pieces) all.push(piece);
  return all;
}

/**
 * What a stand-in method returns: the call's promise, which is also an async iterable for
 * streaming methods (callers iterate those without awaiting), replaying the collected pieces.
 */
function settled(result: Promise<unknown>): Promise<unknown> & AsyncIterable<unknown> {
  const unwrap = (value: unknown) => (typeof value === 'object' && value !== null && PIECES in value ? (value as Record<string, unknown[]>)[PIECES] : value);
  const whole = result.then(unwrap);
  whole.catch(() => {}); // a caller that iterates sees the error there
  return Object.assign(whole, {
    async *[Symbol.asyncIterator]() {
      const value = await whole;
      if (!Array.isArray(value)) throw new TypeError('this capability method does not stream');
      yield* value;
    },
  });
}

/** The hub itself submits these tasks: they belong to no client key and are removed after use. */
const CALLER: Principal = { keyId: 'hub:capability', name: 'capability calls', role: 'admin' };

interface CallInput {
  readonly kind: string;
  readonly plugin: string;
  readonly method: string;
  /** base64 of v8.serialize(args), the context replaced by CONTEXT. */
  readonly args: string;
}

/** The worker side: runs one capability method call on this process's providers. */
export function makeCapabilityCallKind(deps: { runtime: PluginRuntime }): SystemTaskKind {
  return {
    lane: 'hub:capability',
    path: '/capabilities/call',
    // Capabilities compute a result from their arguments and change nothing they keep.
    idempotent: true,
    async run(input, task) {
      const { kind, plugin, method, args } = input as unknown as CallInput;
      const provider = deps.runtime.find<Record<string, unknown>>(kind, plugin);
      if (!provider) throw errors.unavailable(`plugin '${plugin}' offers no usable '${kind}' capability on this worker`);
      const fn = provider.capability[method];
      if (typeof fn !== 'function') throw errors.unavailable(`the '${kind}' capability of plugin '${plugin}' has no method '${method}'`);
      await provider.ready();
      const ctx = provider.context({ signal: task.signal, requestId: task.taskId, progress: (fraction, message, stage) => task.progress(fraction, message, stage) });
      const values = (deserialize(Buffer.from(args, 'base64')) as unknown[]).map((value) => (value === CONTEXT ? ctx : value));
      const returned: unknown = fn.apply(provider.capability, values);
      // A streaming method (an async iterable of pieces) runs to its end here; the caller replays the pieces.
      const result = isAsyncIterable(returned) ? { [PIECES]: await collect(returned) } : await returned;
      return { contentType: 'application/x-v8-serialized', body: serialize(result) };
    },
  };
}

/** A file-backed audio source travels as its bytes: the worker may not see this process's temp files. */
async function inlineFiles(value: unknown, depth = 0): Promise<unknown> {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || depth > 4) return value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => inlineFiles(item, depth + 1)));
  const record = value as Record<string, unknown>;
  const entries = await Promise.all(Object.entries(record).map(async ([key, item]) => [key, await inlineFiles(item, depth + 1)] as const));
  const copy = Object.fromEntries(entries);
  if (typeof record.path === 'string' && typeof record.format === 'string' && record.bytes === undefined) {
    delete copy.path;
    copy.bytes = new Uint8Array(await readFile(record.path));
  }
  return copy;
}

/** The API side: a registry whose providers run their methods on a worker. */
export function makeRemoteCapabilities(deps: { runtime: PluginRuntime; jobs: Jobs; capabilityCallKind: SystemTaskKind }): CapabilityRegistry {
  const { jobs } = deps;
  // The contexts handed out here, with the call facts the worker needs from them.
  const bases = new WeakMap<object, CallBase>();

  async function call(kind: string, plugin: string, method: string, args: readonly unknown[]): Promise<unknown> {
    let base: CallBase | undefined;
    const values = await Promise.all(
      args.map((value) => {
        const found = typeof value === 'object' && value !== null ? bases.get(value) : undefined;
        if (!found) return inlineFiles(value);
        base = found;
        return CONTEXT;
      }),
    );
    base?.signal.throwIfAborted();
    const input: CallInput = { kind, plugin, method, args: serialize(values).toString('base64') };
    const task = await jobs.submitSystem(deps.capabilityCallKind, input as unknown as Record<string, unknown>, CALLER, base?.requestId ?? 'capability-call');
    const cancel = () => void jobs.cancel(task.id, CALLER).catch(() => {}); // finished already: nothing to cancel
    base?.signal.addEventListener('abort', cancel, { once: true });
    let stop = () => {};
    try {
      await new Promise<ProgressEvent>((resolve, reject) => {
        const following = jobs.follow(task.id, CALLER, {
          next: (event) => {
            if (isFinal(event)) resolve(event);
            else base?.progress?.(event.progress, event.message, event.stage);
          },
          end: (reason) => reason === 'shutdown' && reject(errors.unavailable('the hub is shutting down; retry on another instance')),
        });
        stop = following.stop;
        if (isFinal(following.first)) resolve(following.first);
      });
      base?.signal.throwIfAborted();
      const { body } = jobs.result(task.id, CALLER); // an error task throws the error the call would have thrown
      return deserialize(await buffer(body));
    } finally {
      stop();
      base?.signal.removeEventListener('abort', cancel);
      if (jobs.find(task.id)?.status !== 'running') await jobs.remove(task.id, CALLER).catch(() => {});
    }
  }

  function remote<T>(kind: string, local: CapabilityProvider<T>): CapabilityProvider<T> {
    // Properties (`supports`, `domain`) are the plugin's declaration, the same on every
    // process; methods run on a worker.
    const capability = new Proxy(local.capability as object, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function' || typeof name !== 'string') return value;
        return (...args: unknown[]) => settled(call(kind, local.plugin, name, args));
      },
    }) as T;
    return {
      plugin: local.plugin,
      capability,
      ready: async () => {}, // the worker loads the plugin when the call arrives
      context(base): HandlerContext {
        const ctx = deps.runtime.contextFor(local.plugin, base);
        bases.set(ctx, base);
        return ctx;
      },
    };
  }

  return {
    list: <T>(kind: string) => deps.runtime.list<T>(kind).map((provider) => remote(kind, provider)),
    find<T>(kind: string, plugin?: string) {
      const local = deps.runtime.find<T>(kind, plugin);
      return local && remote(kind, local);
    },
  };
}
