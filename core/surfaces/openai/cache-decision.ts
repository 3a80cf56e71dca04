// Whether a speech request may use the audio cache, and what the client is told
// (seed 004's X-Cache and X-Route headers).
import type { Request } from 'express';
import type { SpeechCache } from './speech-cache.ts';

export type CacheState = 'HIT' | 'MISS' | 'BYPASS' | 'ADHOC' | 'DISABLED';

/** `Cache-Control: no-cache` or `no-store` from any HTTP client opts out, like `cache: false`. */
export function clientOptsOut(req: Request, cacheField: boolean | undefined): boolean {
  if (cacheField === false) return true;
  const header = req.get('cache-control') ?? '';
  return header.split(',').some((directive) => /^\s*no-(cache|store)\s*$/i.test(directive));
}

/**
 * Ad-hoc cloning is never eligible; a client opt-out or a stream skips the cache (streams
 * are sent as they are made); then the operator's switch; else the key decides HIT or MISS.
 */
export function cacheEligibility(options: { cache: SpeechCache; adhoc: boolean; optOut: boolean; streaming: boolean }): 'ADHOC' | 'BYPASS' | 'DISABLED' | 'LOOKUP' {
  if (options.adhoc) return 'ADHOC';
  if (options.optOut || options.streaming) return 'BYPASS';
  if (!options.cache.enabled) return 'DISABLED';
  return 'LOOKUP';
}

export function routeFor(state: CacheState): 'CACHE' | 'ADHOC' | 'HOT' {
  return state === 'HIT' ? 'CACHE' : state === 'ADHOC' ? 'ADHOC' : 'HOT';
}
