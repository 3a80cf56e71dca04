// Counts and times every request by its route template (never the raw path: ids would
// make a label per request). Upload volume is what the connection read for the request,
// headers and body, since the previous request on it ended: a small body arrives in the
// same packet as the headers, so nothing that starts with the request sees it all.
import type { Socket } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { accessorOnPrototype, recordOf } from '../http/request-slots.ts';
import { whenClosed } from '../http/response-closed.ts';
import type { Metrics } from './metrics.ts';

/**
 * Records the route template when the router assigns `req.route`: the router restores
 * `req.baseUrl` when a mounted router passes an error on, so reading both at the end would
 * drop the mount prefix ('/vocoder/x' for '/api/vocoder/x').
 */
const routeAccessor = {
  get(this: object) {
    return recordOf(this).route;
  },
  set(this: object, value: unknown) {
    const record = recordOf(this);
    record.route = value;
    const path = (value as { path?: unknown } | undefined)?.path;
    if (typeof path === 'string') record.routeTemplate = (this as Request).baseUrl + path;
  },
};

export function makeHttpMetrics(deps: { metrics: Metrics }): RequestHandler {
  const { httpRequests, httpDuration, uploadBytes, rateLimitRefusals } = deps.metrics;
  /** bytesRead of each keep-alive connection when its last request ended. */
  const counted = new WeakMap<Socket, number>();
  return function httpMetrics(req, res, next) {
    const started = performance.now();
    const { socket } = req;
    accessorOnPrototype(req, 'route', routeAccessor);
    whenClosed(res, () => {
      const route = recordOf(req).routeTemplate ?? 'unmatched';
      const labels = { method: req.method, route, status_class: `${Math.floor(res.statusCode / 100)}xx` };
      httpRequests.inc(labels);
      httpDuration.observe(labels, (performance.now() - started) / 1000);
      const read = socket.bytesRead - (counted.get(socket) ?? 0);
      counted.set(socket, socket.bytesRead);
      if (read > 0) uploadBytes.inc({ route }, read);
      if (res.statusCode === 429) rateLimitRefusals.inc({ route });
    });
    next();
  };
}
