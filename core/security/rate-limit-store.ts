// Where rate-limit counters live. The default keeps them in this process; scale-out
// registers another `rateLimitStores` in the container (e.g. rate-limit-redis's
// RedisStore, one per window) and every route counts across replicas unchanged.
import { MemoryStore, type IncrementResponse, type Options, type Store } from 'express-rate-limit';

export const RATE_WINDOWS = { minute: 60_000, hour: 3_600_000 } as const;
export type RateWindow = keyof typeof RATE_WINDOWS;

export interface RateLimitStores {
  /** The one store behind every limiter of this window; keys carry route and key id. */
  store(window: RateWindow): Store;
  shutdown(): Promise<void>;
}

export function makeMemoryRateLimitStores(): RateLimitStores {
  const stores = new Map<RateWindow, MemoryStore>();
  return {
    store(window) {
      let store = stores.get(window);
      if (!store) stores.set(window, (store = new MemoryStore()));
      return store;
    },
    async shutdown() {
      for (const store of stores.values()) store.shutdown();
      stores.clear();
    },
  };
}

const initialised = new WeakSet<Store>();

/**
 * A view of a shared store for one limiter: each call counts `cost` units (express-rate-limit
 * counts one per request), and the shared store is initialised once, not once per route.
 */
export function weightedStore(shared: Store, cost: number, prefix: string): Store {
  const view: Store = {
    prefix,
    localKeys: shared.localKeys ?? false,
    init(options: Options) {
      if (initialised.has(shared)) return;
      initialised.add(shared);
      return shared.init?.(options);
    },
    async increment(key: string): Promise<IncrementResponse> {
      let result = await shared.increment(key);
      for (let unit = 1; unit < cost; unit++) result = await shared.increment(key);
      return result;
    },
    async decrement(key: string) {
      for (let unit = 0; unit < cost; unit++) await shared.decrement(key);
    },
    resetKey: (key: string) => shared.resetKey(key),
  };
  if (shared.get) view.get = (key: string) => shared.get!(key);
  return view;
}
