// Server-Sent Events for one task (text/event-stream, WHATWG HTML §9.2): the current
// state first, then each progress event as a `data:` line of JSON, closed after the
// final one. A comment line every HEARTBEAT_MS keeps proxies from timing the stream out.
import type { Request, Response } from 'express';
import type { Jobs } from './jobs.ts';
import type { ProgressEvent } from './types.ts';
import { isFinal } from './types.ts';

const HEARTBEAT_MS = 15_000;
/** Tells EventSource how long to wait before reconnecting after the hub went away. */
const RETRY_MS = 2000;

export function streamTaskEvents(jobs: Jobs, id: string, req: Request, res: Response): void {
  let ended = false;
  let heartbeat: NodeJS.Timeout | undefined;
  const send = (event: ProgressEvent) => {
    if (!ended) res.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    following.stop();
    res.end();
  };

  // Throws 404 / 401 before any header is written, so refusals keep the JSON error shape.
  const following = jobs.follow(id, req.principal, { next: send, end });
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no'); // nginx: do not buffer the stream
  res.write(`retry: ${RETRY_MS}\n\n`);
  send(following.first);
  if (isFinal(following.first)) return end();
  heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
  res.once('close', end);
}
