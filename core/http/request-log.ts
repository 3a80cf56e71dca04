// Every request gets an id (a sane `X-Request-Id` from the client, or a new UUID), echoed
// in the reply, and one log line when it closes: method, path, status, time, key id.
// Never headers, keys, query strings (`?api_key=` exists) or bodies. The rest of the
// request runs inside the id's context, so every line logged on its behalf — plugin,
// ONNX, audio workers, error handler — names it.
//
// Written here rather than with pino-http: that made a child logger and three listeners
// per request, half the CPU a health probe cost, even with the line's level switched off.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../log/logger.ts';
import { withRequestId } from '../log/request-context.ts';
import { accessorOnPrototype, recordOf } from './request-slots.ts';
import { whenClosed } from './response-closed.ts';
import './request-types.ts';

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;
const idAccessor = {
  get(this: object) {
    return recordOf(this).id;
  },
  set(this: object, value: unknown) {
    recordOf(this).id = String(value);
  },
};

export function makeRequestLog(deps: { logger: Logger }): RequestHandler {
  const log = deps.logger.pino;
  return function requestLog(req, res, next) {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
    accessorOnPrototype(req, 'id', idAccessor);
    recordOf(req).id = id;
    res.setHeader('X-Request-Id', id);
    const started = performance.now();
    whenClosed(res, () => {
      const level = res.statusCode >= 500 ? 'error' : 'info';
      if (!log.isLevelEnabled(level)) return;
      log[level](
        {
          requestId: id,
          method: req.method,
          path: (req.originalUrl ?? req.url ?? '').split('?', 1)[0],
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          key: req.principal?.keyId,
          aborted: !res.writableFinished || undefined,
        },
        'request',
      );
    });
    withRequestId(id, next);
  };
}
