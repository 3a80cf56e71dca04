// The id of the request (or task) whose work is running, carried through every await by
// AsyncLocalStorage, so a line logged deep in the ONNX or audio layer — which never sees
// the request — still names it.
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

/** Runs `work` (and everything it awaits or schedules) as part of request `requestId`. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return current.run(requestId, work);
}

export function currentRequestId(): string | undefined {
  return current.getStore();
}
