// A brute-force guard on authentication: failed attempts are counted per client address
// and per key id (the public part of `hub_<id>_<secret>`), in fixed windows. Once either
// count is over its limit, that address or key id gets 429 + Retry-After *before* its key
// is checked, so a guess that happens to be right teaches nothing until the window ends.
// The address is `req.ip`: the socket's peer, since `server.trustProxy` is off by default
// (a client-sent X-Forwarded-For would otherwise pick its own counter). Only presented
// keys that fail count; a request without any key is not a guess.
import type { HubConfig } from '../config/load-config.ts';
import { errors } from '../errors.ts';

interface Count {
  failures: number;
  resetAt: number;
}

export interface AuthThrottle {
  /** Throws 429 when the address or the key id has failed too often in this window. */
  assertAllowed(address: string | undefined, keyId: string | undefined): void;
  /** Counts one failed authentication. */
  recordFailure(address: string | undefined, keyId: string | undefined): void;
}

export function makeAuthThrottle(deps: { config: Pick<HubConfig, 'rateLimit'>; now?: () => number }): AuthThrottle {
  const { perAddress, perKeyId, windowSeconds } = deps.config.rateLimit.failedAuth;
  const now = deps.now ?? (() => Date.now());
  const windowMs = windowSeconds * 1000;
  const counts = new Map<string, Count>();

  const current = (key: string): Count | undefined => {
    const count = counts.get(key);
    if (count && count.resetAt <= now()) {
      counts.delete(key);
      return undefined;
    }
    return count;
  };
  const sweep = () => {
    // Bounded memory under a flood of addresses: expired windows go first.
    if (counts.size < 10_000) return;
    for (const [key, count] of counts) if (count.resetAt <= now()) counts.delete(key);
  };
  const refuse = (what: string, limit: number, count: Count) => {
    const retryAfter = Math.max(1, Math.ceil((count.resetAt - now()) / 1000));
    return errors.rateLimited(`too many failed authentications from ${what} (${limit} per ${windowSeconds} s); it resets at ${new Date(count.resetAt).toISOString()}`, retryAfter);
  };

  return {
    assertAllowed(address, keyId) {
      const byAddress = address === undefined ? undefined : current(`address ${address}`);
      if (byAddress && byAddress.failures >= perAddress) throw refuse('this address', perAddress, byAddress);
      const byKey = keyId === undefined ? undefined : current(`key ${keyId}`);
      if (byKey && byKey.failures >= perKeyId) throw refuse(`key id ${keyId}`, perKeyId, byKey);
    },
    recordFailure(address, keyId) {
      sweep();
      for (const key of [address === undefined ? undefined : `address ${address}`, keyId === undefined ? undefined : `key ${keyId}`]) {
        if (key === undefined) continue;
        const count = current(key);
        if (count) count.failures++;
        else counts.set(key, { failures: 1, resetAt: now() + windowMs });
      }
    },
  };
}
