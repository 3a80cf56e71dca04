// Rate limits per API key, never per client-supplied header or address: N calls a minute
// per route, M calls an hour across all routes (the Amphion defaults are 10 and 100), and
// optionally a per-route hourly cap. A route's `cost` is how many units one call uses.
// Which limit applies is the most specific one set: the key's own, then the route's entry
// in config.rateLimit.routes, then the plugin's declaration, then the global default.
import type { RequestHandler } from 'express';
import { rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { HubConfig } from '../config/load-config.ts';
import { errors } from '../errors.ts';
import type { Principal } from '../http/request-types.ts';
import type { Logger } from '../log/logger.ts';
import type { RouteRateLimit } from '../plugin/types.ts';
import { RATE_WINDOWS, weightedStore, type RateLimitStores, type RateWindow } from './rate-limit-store.ts';

export interface RateLimitDeps {
  config: Pick<HubConfig, 'rateLimit'>;
  rateLimitStores: RateLimitStores;
  logger: Logger;
}

interface Window {
  readonly name: string;
  readonly window: RateWindow;
  readonly key: (principal: Principal) => string;
  readonly limit: (principal: Principal) => number;
  readonly describe: (limit: number) => string;
}

function principalOf(req: { principal?: Principal }): Principal {
  // A programming error, not a client's: rate limits must follow authentication.
  if (!req.principal) throw new Error('rateLimit() mounted before authenticate()');
  return req.principal;
}

function windowsFor(routeId: string, declared: RouteRateLimit | undefined, config: HubConfig['rateLimit']): Window[] {
  const configured = (config.routes as Readonly<Record<string, RouteRateLimit>> | undefined)?.[routeId];
  const routePerMinute = configured?.perMinute ?? declared?.perMinute ?? config.perMinute;
  const routePerHour = configured?.perHour ?? declared?.perHour;
  const windows: Window[] = [
    {
      name: 'route-minute',
      window: 'minute',
      key: (p) => `${routeId} ${p.keyId}`,
      limit: (p) => p.limits?.perMinute ?? routePerMinute,
      describe: (limit) => `${limit} per minute on ${routeId}`,
    },
    {
      name: 'key-hour',
      window: 'hour',
      key: (p) => p.keyId,
      limit: (p) => p.limits?.perHour ?? config.perHour,
      describe: (limit) => `${limit} per hour across all routes`,
    },
  ];
  if (routePerHour !== undefined) {
    windows.push({
      name: 'route-hour',
      window: 'hour',
      key: (p) => `${routeId} ${p.keyId}`,
      limit: () => routePerHour,
      describe: (limit) => `${limit} per hour on ${routeId}`,
    });
  }
  return windows;
}

export function makeRateLimiter(deps: RateLimitDeps) {
  const logger = {
    warn: (error: unknown, message?: string) => deps.logger.warn('rate limiter', { message, error: String(error) }),
    error: (error: unknown, message?: string) => deps.logger.error('rate limiter', { message, error: String(error) }),
  };

  return function rateLimitFor(routeId: string, options: { limits?: RouteRateLimit; cost?: number } = {}): RequestHandler[] {
    const cost = options.cost ?? 1;
    return windowsFor(routeId, options.limits, deps.config.rateLimit).map((w) => {
      const property = `rateLimit_${w.name.replace('-', '_')}`;
      return rateLimit({
        windowMs: RATE_WINDOWS[w.window],
        limit: (req) => w.limit(principalOf(req)),
        keyGenerator: (req) => w.key(principalOf(req)),
        store: weightedStore(deps.rateLimitStores.store(w.window), cost, `${w.window}:`),
        // RFC draft-ietf-httpapi-ratelimit-headers-08: one `RateLimit` entry per window.
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        identifier: w.name,
        requestPropertyName: property,
        logger,
        handler(req, _res, next) {
          const info = (req as unknown as Record<string, RateLimitInfo>)[property]!;
          const retryAfter = Math.max(1, Math.ceil(((info.resetTime?.getTime() ?? Date.now() + RATE_WINDOWS[w.window]) - Date.now()) / 1000));
          const units = cost > 1 ? ` (this route costs ${cost} units a call)` : '';
          next(errors.rateLimited(`rate limit exceeded: this key may use ${w.describe(info.limit)}${units}`, retryAfter));
        },
      });
    });
  };
}
