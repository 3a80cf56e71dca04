// The guard chain's shape: authentication, roles and rate limits as middleware factories.
// core/security implements it; routes and surfaces only ever call these factories.
import type { RequestHandler } from 'express';
import type { RouteRateLimit } from '../plugin/types.ts';
import './request-types.ts';

export interface Guards {
  /** Requires a valid key (401 otherwise) and sets `req.principal`. */
  authenticate(): RequestHandler;
  /** Requires the principal to hold the role (403 otherwise). */
  requireRole(role: 'admin'): RequestHandler;
  /**
   * Counts the call against the key's limits for this route id (429 when over): the
   * endpoint's minute window and the key's hour window, or with scope `tasks` the task
   * routes' own minute window.
   */
  rateLimit(routeId: string, options?: { limits?: RouteRateLimit; scope?: 'endpoint' | 'tasks' }): RequestHandler;
}
