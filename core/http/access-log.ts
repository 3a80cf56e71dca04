// One log line per request: method, path, status, time, key id. Never keys or bodies.
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import './request-types.ts';

export function makeAccessLog(deps: { logger: Logger }): RequestHandler {
  return function accessLog(req, res, next) {
    const started = performance.now();
    res.once('close', () => {
      deps.logger.info('request', {
        requestId: req.id,
        method: req.method,
        path: req.baseUrl + req.path,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        key: req.principal?.keyId,
        aborted: !res.writableFinished || undefined,
      });
    });
    next();
  };
}
