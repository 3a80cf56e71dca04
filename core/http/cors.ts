// Cross-origin access for browser clients: off unless `server.corsOrigins` lists origins
// (exact `scheme://host[:port]`, or `*` for any). Keys travel in headers, never cookies,
// so credentials are never allowed; a listed origin still needs a key for every call.
import type { RequestHandler } from 'express';
import { errors } from '../errors.ts';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'X-API-Key, Authorization, Content-Type, Accept, X-Request-Id';
const EXPOSED_HEADERS =
  'X-Request-Id, Retry-After, RateLimit, RateLimit-Policy, X-Weight-State, X-Sample-Rate, X-Audio-Duration, Content-Disposition, Location, X-Cache, X-Route, X-Model, X-Ignored-Fields';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

export function makeCors(deps: { config: { server: { corsOrigins: readonly string[] } } }): RequestHandler {
  const listed = new Set(deps.config.server.corsOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  const any = listed.has('*');

  return function cors(req, res, next) {
    if (listed.size === 0) return next();
    res.append('Vary', 'Origin');
    const origin = req.get('origin');
    if (!origin) return next();
    const allowed = any || listed.has(origin.toLowerCase());
    const preflight = req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
    if (!allowed) {
      if (preflight) throw errors.forbidden(`origin '${origin.slice(0, 100)}' is not allowed to call this hub`);
      return next(); // no CORS headers: the browser withholds the answer from the page
    }
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    if (!preflight) {
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      return next();
    }
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
    res.status(204).end();
  };
}
