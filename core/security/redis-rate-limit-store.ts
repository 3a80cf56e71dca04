// Rate-limit counters in Redis (rate-limit-redis), so that every API process of a scale-out
// deployment counts against the same numbers: a key's 10 calls a minute are 10 across all
// replicas, not 10 on each. Redis increments atomically (a Lua script), so concurrent calls
// on different processes can never both take the last unit.
import type { IncrementResponse } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { errors } from '../errors.ts';
import type { RateLimitStores, RateWindow } from './rate-limit-store.ts';

/**
 * rate-limit-redis loads its script once, at init, and keeps the promise: if Redis was away
 * at that moment every later call would fail. This store loads it again after a failure,
 * and answers 503 (not 500) while Redis cannot count.
 */
class RecoveringRedisStore extends RedisStore {
  override async increment(key: string): Promise<IncrementResponse> {
    try {
      return await super.increment(key);
    } catch (error) {
      const reload = this.loadIncrementScript();
      reload.catch(() => {}); // seen by the next increment, not unhandled
      this.incrementScriptSha = reload;
      throw errors.unavailable(`rate limits cannot be counted: Redis is unreachable (${(error as Error).message}); retry shortly`);
    }
  }
}

export function makeRedisRateLimitStores(deps: { redis: Redis; prefix: string }): RateLimitStores {
  const stores = new Map<RateWindow, RedisStore>();
  const sendCommand = (command: string, ...args: string[]) => deps.redis.call(command, ...args) as Promise<RedisReply>;
  return {
    store(window) {
      let store = stores.get(window);
      if (!store) stores.set(window, (store = new RecoveringRedisStore({ sendCommand, prefix: `${deps.prefix}:rl:${window}:` })));
      return store;
    },
    async shutdown() {
      stores.clear(); // the connection is the container's to close
    },
  };
}
