// Counts the requests a group of routes is serving and has served, for health answers
// that report load (in flight, completed, failed). A request counts as failed when it is
// answered 5xx or the connection ends before the answer is complete.
import type { RequestHandler } from 'express';
import { whenClosed } from './response-closed.ts';

export interface RequestMetrics {
  readonly count: RequestHandler;
  snapshot(): { inFlight: number; completed: number; errors: number };
}

export function makeRequestMetrics(): RequestMetrics {
  let inFlight = 0;
  let completed = 0;
  let failed = 0;
  return {
    count(_req, res, next) {
      inFlight++;
      whenClosed(res, () => {
        inFlight--;
        if (res.writableFinished && res.statusCode < 500) completed++;
        else failed++;
      });
      next();
    },
    snapshot: () => ({ inFlight, completed, errors: failed }),
  };
}
