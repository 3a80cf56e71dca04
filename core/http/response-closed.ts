// Work to run when a response closes (answered or aborted), on one 'close' listener per
// response however many parts of the chain ask: each listener of its own cost a health
// probe several microseconds (the chain's log line, metrics and scope all wait for close).
// The hooks are kept in the request's record (request-slots.ts).
import type { ServerResponse } from 'node:http';
import { recordOf } from './request-slots.ts';

export function whenClosed(res: ServerResponse, hook: () => void): void {
  const record = recordOf(res.req);
  if (record.closeHooks) return void record.closeHooks.push(hook);
  const hooks = (record.closeHooks = [hook]);
  // A response emits 'close' once; `on` spares the wrapper and removal `once` adds.
  res.on('close', () => {
    for (const run of hooks) run();
  });
}
