// The speech cache's index in Redis (scale-out mode): every process sees what any process
// cached, and the size bound holds for the shared folder, not per process. A sorted set
// orders keys by creation time, a hash holds their sizes and a counter their total; Lua
// scripts keep the three in step, so two processes evicting the same entry cannot both
// count it off. The first process to find no index adopts what the folder already holds.
import type { Redis } from 'ioredis';
import type { CacheEntry, CacheIndex, CacheScan } from './cache-index.ts';

const SET = `
local previous = redis.call('HGET', KEYS[2], ARGV[1])
if previous then redis.call('DECRBY', KEYS[3], previous) end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return redis.call('INCRBY', KEYS[3], ARGV[2])`;

const DELETE = `
local size = redis.call('HGET', KEYS[2], ARGV[1])
if not size then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DECRBY', KEYS[3], size)
return 1`;

export function makeRedisCacheIndex(deps: { redis: Redis; prefix: string; scan: CacheScan }): CacheIndex {
  const base = `${deps.prefix}:speech-cache`;
  const keys = [`${base}:created`, `${base}:size`, `${base}:total`] as const;
  const { redis } = deps;

  const set = async (key: string, entry: CacheEntry) => Number(await redis.eval(SET, 3, ...keys, key, entry.size, entry.created));
  let adopted: Promise<void> | undefined;
  const ready = () =>
    (adopted ??= (async () => {
      if ((await redis.set(`${base}:adopted`, '1', 'NX')) !== 'OK') return;
      for (const [key, entry] of await deps.scan()) await set(key, entry);
    })().catch((error: unknown) => {
      adopted = undefined; // Redis was away: try again on the next call
      throw error;
    }));

  return {
    async get(key) {
      await ready();
      const [size, created] = await Promise.all([redis.hget(keys[1], key), redis.zscore(keys[0], key)]);
      return size === null || created === null ? undefined : { size: Number(size), created: Number(created) };
    },
    async set(key, entry) {
      await ready();
      return set(key, entry);
    },
    async delete(key) {
      await ready();
      return Number(await redis.eval(DELETE, 3, ...keys, key)) === 1;
    },
    async oldest() {
      await ready();
      const [key, created] = await redis.zrange(keys[0], 0, 0, 'WITHSCORES');
      if (key === undefined) return undefined;
      const size = await redis.hget(keys[1], key);
      return [key, { size: Number(size ?? 0), created: Number(created) }];
    },
    async total() {
      await ready();
      return Number((await redis.get(keys[2])) ?? 0);
    },
  };
}
