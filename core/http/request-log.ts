// Every request gets an id (a sane `X-Request-Id` from the client, or a new UUID), echoed
// in the reply, and one pino-http line when it closes: method, path, status, time, key
// id. Never headers, keys, query strings (`?api_key=` exists) or bodies. The rest of the
// request runs inside the id's context, so every line logged on its behalf — plugin,
// ONNX, audio workers, error handler — names it.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../log/logger.ts';
import { withRequestId } from '../log/request-context.ts';
import './request-types.ts';

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function makeRequestLog(deps: { logger: Logger }): RequestHandler {
  const fields = (req: IncomingMessage, res: ServerResponse, ms: unknown) => {
    const request = req as Request;
    return {
      method: request.method,
      path: (request.originalUrl ?? request.url ?? '').split('?', 1)[0],
      status: res.statusCode,
      ms,
      key: request.principal?.keyId,
      aborted: !res.writableFinished || undefined,
    };
  };
  const http = pinoHttp({
    logger: deps.logger.pino,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'ms' },
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, base) => fields(req, res, base.ms),
    customErrorObject: (req, res, _error, base) => fields(req, res, base.ms),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
  });
  return function requestLog(req, res, next) {
    http(req, res);
    withRequestId(req.id, next);
  };
}
