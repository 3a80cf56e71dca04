// Rate limits per API key, as seed 002 states them: 10 requests a minute per endpoint and
// 100 an hour per key, every request counting 1. What counts is what the client asked
// for, its own mistakes included (400/413/415/422); answers that are the server's fault
// (503 weights missing or queue full, any 5xx) and refusals by a limit (429) are given
// back, so an outage or a burst of refused calls does not spend the quota.
// Operator configuration may override a route (`rateLimit.routes`, with an opt-in `cost`)
// or a key (`--per-minute/--per-hour`); a plugin may only declare a tighter limit, never a cost.
// The task routes (/api/tasks*, progress streams) poll: they have one roomier per-minute
// window of their own and do not spend the hourly quota.
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type RateLimitInfo, type Store } from 'express-rate-limit';
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

/** Which family of windows a route counts in. */
export type RateScope = 'endpoint' | 'tasks';

interface Window {
  readonly name: string;
  readonly window: RateWindow;
  readonly key: (principal: Principal) => string;
  readonly limit: (principal: Principal) => number;
  /** Names the window and what it counts, for the 429 detail. */
  readonly describe: (limit: number) => string;
}

function principalOf(req: { principal?: Principal }): Principal {
  // A programming error, not a client's: rate limits must follow authentication.
  if (!req.principal) throw new Error('rateLimit() mounted before authenticate()');
  return req.principal;
}

type RouteOverride = RouteRateLimit & { readonly cost?: number };

function windowsFor(routeId: string, scope: RateScope, declared: RouteRateLimit | undefined, config: HubConfig['rateLimit']): Window[] {
  if (scope === 'tasks') {
    return [
      {
        name: 'tasks-minute',
        window: 'minute',
        key: (p) => `tasks ${p.keyId}`,
        limit: () => config.tasksPerMinute,
        describe: (limit) => `the minute window of the task routes (${limit} requests per minute per key)`,
      },
    ];
  }
  const configured = (config.routes as Readonly<Record<string, RouteOverride>> | undefined)?.[routeId];
  // A plugin's own declaration may only tighten the seed's limits; the operator may set anything.
  const routePerMinute = configured?.perMinute ?? Math.min(declared?.perMinute ?? Infinity, config.perMinute);
  const routePerHour = configured?.perHour ?? declared?.perHour;
  const windows: Window[] = [
    {
      name: 'route-minute',
      window: 'minute',
      key: (p) => `${routeId} ${p.keyId}`,
      limit: (p) => p.limits?.perMinute ?? routePerMinute,
      describe: (limit) => `the minute window of endpoint ${routeId} (${limit} requests per minute)`,
    },
    {
      name: 'key-hour',
      window: 'hour',
      key: (p) => p.keyId,
      limit: (p) => p.limits?.perHour ?? config.perHour,
      describe: (limit) => `the hour window of this key (${limit} requests per hour across all endpoints)`,
    },
  ];
  if (routePerHour !== undefined) {
    windows.push({
      name: 'route-hour',
      window: 'hour',
      key: (p) => `${routeId} ${p.keyId}`,
      limit: () => routePerHour,
      describe: (limit) => `the hour window of endpoint ${routeId} (${limit} requests per hour)`,
    });
  }
  return windows;
}

/** Answers that do not spend quota: refusals by a limit and the server's own failures. */
const givesBack = (status: number) => status === 429 || status >= 500;

/**
 * Once the answer is sent, gives back the units of every window that counted this request
 * when the answer is one that does not count. A client that leaves early still counts.
 */
function refundOnFinish(req: Request, res: Response, counted: readonly { store: Store; key: string }[]): void {
  res.once('finish', () => {
    if (!givesBack(res.statusCode)) return;
    for (const { store, key } of counted) void Promise.resolve(store.decrement(key)).catch(() => {});
  });
}

export function makeRateLimiter(deps: RateLimitDeps) {
  const logger = {
    warn: (error: unknown, message?: string) => deps.logger.warn('rate limiter', { message, error: String(error) }),
    error: (error: unknown, message?: string) => deps.logger.error('rate limiter', { message, error: String(error) }),
  };
  const countedOf = new WeakMap<Request, { store: Store; key: string }[]>();

  return function rateLimitFor(routeId: string, options: { limits?: RouteRateLimit; scope?: RateScope } = {}): RequestHandler[] {
    const scope = options.scope ?? 'endpoint';
    const configured = (deps.config.rateLimit.routes as Readonly<Record<string, RouteOverride>> | undefined)?.[routeId];
    // Cost is operator configuration only, off (1) unless a route entry sets it.
    const cost = scope === 'endpoint' ? (configured?.cost ?? 1) : 1;
    const limiters = windowsFor(routeId, scope, options.limits, deps.config.rateLimit).map((w): RequestHandler => {
      const property = `rateLimit_${w.name.replace('-', '_')}`;
      const store = weightedStore(deps.rateLimitStores.store(w.window), cost, `${w.window}:`);
      const limiter = rateLimit({
        windowMs: RATE_WINDOWS[w.window],
        limit: (req) => w.limit(principalOf(req)),
        keyGenerator: (req) => w.key(principalOf(req)),
        store,
        // RFC draft-ietf-httpapi-ratelimit-headers-08: one `RateLimit` entry per window.
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        identifier: w.name,
        requestPropertyName: property,
        // Task status and results come from SQLite and files; when the shared counter store
        // (Redis in scale-out mode) cannot count, their roomy courtesy limit lets them through
        // instead of making a Redis outage hide every task. Model routes still answer 503.
        passOnStoreError: scope === 'tasks',
        logger,
        handler(req, _res, next) {
          const info = (req as unknown as Record<string, RateLimitInfo>)[property]!;
          const resetAt = info.resetTime ?? new Date(Date.now() + RATE_WINDOWS[w.window]);
          const retryAfter = Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000));
          const units = cost > 1 ? ` (this endpoint counts ${cost} units a request)` : '';
          next(errors.rateLimited(`rate limit exceeded: ${w.describe(info.limit)} is used up${units}; it resets at ${resetAt.toISOString()}`, retryAfter));
        },
      });
      return function countRequest(req, res, next) {
        // Recorded before the limiter runs: a refused request was counted too, and is given back.
        let counted = countedOf.get(req);
        if (!counted) {
          countedOf.set(req, (counted = []));
          refundOnFinish(req, res, counted);
        }
        counted.push({ store, key: w.key(principalOf(req)) });
        return limiter(req, res, next);
      };
    });
    return limiters;
  };
}
