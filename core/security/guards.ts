// The guard chain the core and every surface use: authentication against hashed keys,
// roles, and per-key rate limits. Composed here from its parts; registered as `guards`.
import type { RequestHandler } from 'express';
import type { HubConfig } from '../config/load-config.ts';
import type { Guards } from '../http/guards.ts';
import type { Logger } from '../log/logger.ts';
import { makeAuthThrottle } from './auth-throttle.ts';
import { makeAuthenticator } from './authenticate.ts';
import type { KeyStore } from './key-store.ts';
import { assertProductionReady } from './production-check.ts';
import type { RateLimitStores } from './rate-limit-store.ts';
import { makeRateLimiter } from './rate-limits.ts';

/** Runs handlers one after another as one middleware, stopping at the first error or answer. */
function inSequence(name: string, handlers: readonly RequestHandler[]): RequestHandler {
  const run: RequestHandler = (req, res, next) => {
    let index = 0;
    const step = (error?: unknown) => {
      if (error !== undefined || index === handlers.length) return next(error);
      handlers[index++]!(req, res, step);
    };
    step();
  };
  Object.defineProperty(run, 'name', { value: name });
  return run;
}

export function makeGuards(deps: { config: HubConfig; keys: KeyStore; rateLimitStores: RateLimitStores; logger: Logger }): Guards {
  assertProductionReady(deps.config, deps.keys);
  const auth = makeAuthenticator({ config: deps.config, keys: deps.keys, throttle: makeAuthThrottle({ config: deps.config }) });
  const rateLimitFor = makeRateLimiter(deps);
  return {
    authenticate: auth.authenticate,
    requireRole: auth.requireRole,
    rateLimit: (routeId, options) => inSequence('rateLimit', rateLimitFor(routeId, options)),
  };
}
