// Browsers cannot set headers on a WebSocket or an EventSource, so those two endpoints
// also take the key as `?api_key=`. It is copied into the header the guards read (never
// over a key the client sent there); the access log records paths without query strings.
import type { RequestHandler } from 'express';

export function keyFromQuery(): RequestHandler {
  return function keyFromQuery(req, _res, next) {
    const key = req.query.api_key;
    if (typeof key === 'string' && key && req.headers['x-api-key'] === undefined && req.headers.authorization === undefined) {
      req.headers['x-api-key'] = key;
    }
    next();
  };
}
