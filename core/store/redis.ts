// Connections to the Redis of a scale-out deployment. One client per use, because the uses
// want different failure behaviour: commands of a request (rate limits, enqueue) must fail
// within one reconnect attempt while Redis is down so the client gets a 503 at once, whereas
// subscribers and BullMQ workers block or listen and must wait and reconnect by themselves.
import { Redis, type RedisOptions } from 'ioredis';
import type { ScaleOut } from '../config/scale-out-settings.ts';

const RECONNECT_MAX_MS = 2000;

/**
 * `commands`: a command issued while disconnected fails after one reconnect attempt (~100 ms).
 * `blocking`: waits for Redis however long it takes (what BullMQ requires of its workers and
 * of subscribers).
 */
export function openRedis(scaleOut: ScaleOut, use: 'commands' | 'blocking', name: string): Redis {
  const options: RedisOptions = {
    connectionName: `${scaleOut.prefix}:${name}:${process.pid}`,
    retryStrategy: (times) => Math.min(times * 100, RECONNECT_MAX_MS),
    ...(use === 'commands' ? { maxRetriesPerRequest: 1 } : { maxRetriesPerRequest: null }),
  };
  const redis = new Redis(scaleOut.redisUrl, options);
  // ioredis reports every failed reconnect as an 'error' event; unhandled, it would crash the
  // process. The state is read where it matters (health, 503s), so the event needs no action.
  redis.on('error', () => {});
  return redis;
}
