// Work to run when a response closes (answered or aborted), on one 'close' listener per
// response however many parts of the chain ask: each listener of its own cost a health
// probe several microseconds (the chain's log line, metrics and scope all wait for close).
import type { ServerResponse } from 'node:http';

// Beside the response, not on it (see request-slots.ts).
const hooksOf = new WeakMap<ServerResponse, (() => void)[]>();

export function whenClosed(res: ServerResponse, hook: () => void): void {
  const hooks = hooksOf.get(res);
  if (hooks) return void hooks.push(hook);
  const list: (() => void)[] = [hook];
  hooksOf.set(res, list);
  res.once('close', () => {
    for (const run of list) run();
  });
}
