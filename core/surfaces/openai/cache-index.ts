// Which entries the speech cache holds, with their sizes and ages: the part of the cache
// that must be shared for several processes to use one cache folder (a Redis index in
// scale-out mode, core/surfaces/openai/redis-cache-index.ts). The files themselves stay
// in the cache folder; the index never reads them.

export interface CacheEntry {
  readonly size: number;
  /** ms since the epoch. */
  readonly created: number;
}

/** Lists the entries the cache folder holds (what an index starts from). */
export type CacheScan = () => Promise<Map<string, CacheEntry>>;

export interface CacheIndex {
  get(key: string): Promise<CacheEntry | undefined>;
  /** Records the entry, replacing any under the key; resolves with the new total of bytes. */
  set(key: string, entry: CacheEntry): Promise<number>;
  /** Forgets the entry; true when this call removed it, so its file is this caller's to delete. */
  delete(key: string): Promise<boolean>;
  /** The oldest entry, or undefined when the index is empty. */
  oldest(): Promise<[string, CacheEntry] | undefined>;
  total(): Promise<number>;
}

export function makeMemoryCacheIndex(scan: CacheScan): CacheIndex {
  /** Kept in creation order (oldest first): a Map iterates in insertion order. */
  let entries: Promise<Map<string, CacheEntry>> | undefined;
  let total = 0;
  const load = () =>
    (entries ??= scan().then((found) => {
      total = [...found.values()].reduce((sum, e) => sum + e.size, 0);
      return new Map([...found].sort(([, a], [, b]) => a.created - b.created));
    }));
  return {
    get: async (key) => (await load()).get(key),
    async set(key, entry) {
      const map = await load();
      const previous = map.get(key);
      if (previous) total -= previous.size;
      map.delete(key);
      map.set(key, entry);
      return (total += entry.size);
    },
    async delete(key) {
      const map = await load();
      const entry = map.get(key);
      if (!entry) return false;
      map.delete(key);
      total -= entry.size;
      return true;
    },
    async oldest() {
      return (await load()).entries().next().value;
    },
    async total() {
      await load();
      return total;
    },
  };
}
