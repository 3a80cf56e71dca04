// The synthesised-audio cache (seed 004): one file per entry, named by a hash of
// everything that shapes the output, bounded by total size and by age. Each file holds a
// small JSON header (format, rate, duration) and the encoded bytes; it is written to a
// temporary name and renamed, so a reader never sees half an entry. Which entries exist is
// the index's to say (./cache-index.ts): in memory, or in Redis when processes share the folder.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log/logger.ts';
import { makeMemoryCacheIndex, type CacheEntry, type CacheIndex, type CacheScan } from './cache-index.ts';

export interface CachedAudio {
  readonly format: string;
  readonly contentType: string;
  readonly sampleRate: number;
  readonly duration: number;
  readonly bytes: Uint8Array;
}

export interface SpeechCache {
  readonly enabled: boolean;
  get(key: string): Promise<CachedAudio | undefined>;
  put(key: string, audio: CachedAudio): Promise<void>;
}

export interface CacheOptions {
  readonly enabled: boolean;
  readonly maxBytes: number;
  readonly maxAgeSeconds: number;
}

/** A stable key: sha256 of the canonical JSON of every input that changes the audio. */
export function cacheKey(parts: Record<string, unknown>): string {
  const canonical = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]))
      : value;
  return createHash('sha256').update(JSON.stringify(canonical(parts))).digest('hex');
}

const ENTRY = /^[0-9a-f]{64}\.audio$/;

export function makeSpeechCache(deps: { dir: string; options: CacheOptions; logger: Logger; index?: (scan: CacheScan) => CacheIndex }): SpeechCache {
  const { maxBytes, maxAgeSeconds } = deps.options;
  const enabled = deps.options.enabled && maxBytes > 0 && maxAgeSeconds > 0;

  const pathOf = (key: string) => join(deps.dir, `${key}.audio`);
  const expired = (created: number) => Date.now() - created > maxAgeSeconds * 1000;

  /** What the folder holds, for an index that starts empty. */
  const scan: CacheScan = async () => {
    await mkdir(deps.dir, { recursive: true });
    const entries = new Map<string, CacheEntry>();
    for (const name of await readdir(deps.dir)) {
      if (!ENTRY.test(name)) {
        // Temporary files of writes a crash interrupted.
        if (name.endsWith('.tmp')) await rm(join(deps.dir, name), { force: true });
        continue;
      }
      const info = await stat(join(deps.dir, name)).catch(() => undefined);
      if (info) entries.set(name.slice(0, 64), { size: info.size, created: info.mtimeMs });
    }
    return entries;
  };
  const index = (deps.index ?? makeMemoryCacheIndex)(scan);

  const evict = async (key: string) => {
    if (await index.delete(key)) await rm(pathOf(key), { force: true });
  };

  /** Drops expired entries, then the oldest until the total fits. */
  const prune = async () => {
    for (let oldest = await index.oldest(); oldest; oldest = await index.oldest()) {
      if (!expired(oldest[1].created) && (await index.total()) <= maxBytes) break;
      await evict(oldest[0]);
    }
  };

  const read = async (key: string): Promise<CachedAudio | undefined> => {
    const entry = await index.get(key);
    if (!entry) return undefined;
    if (expired(entry.created)) {
      await evict(key);
      return undefined;
    }
    try {
      const file = await readFile(pathOf(key));
      const headerLength = file.readUInt32LE(0);
      const header = JSON.parse(file.subarray(4, 4 + headerLength).toString('utf8')) as Omit<CachedAudio, 'bytes'>;
      return { ...header, bytes: new Uint8Array(file.buffer, file.byteOffset + 4 + headerLength, file.length - 4 - headerLength) };
    } catch (error) {
      deps.logger.warn('unreadable cache entry dropped', { key, error: (error as Error).message });
      await evict(key);
      return undefined;
    }
  };

  return {
    enabled,
    async get(key) {
      if (!enabled) return undefined;
      // A cache that cannot answer (its Redis index is away) is a miss, never a failed request.
      return read(key).catch((error: Error) => {
        deps.logger.warn('speech cache unavailable', { error: error.message });
        return undefined;
      });
    },
    async put(key, audio) {
      if (!enabled) return;
      const { bytes, ...meta } = audio;
      const header = Buffer.from(JSON.stringify(meta), 'utf8');
      const size = 4 + header.length + bytes.length;
      if (size > maxBytes) return;
      await mkdir(deps.dir, { recursive: true });
      const length = Buffer.alloc(4);
      length.writeUInt32LE(header.length, 0);
      const temporary = `${pathOf(key)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temporary, Buffer.concat([length, header, bytes]));
      await rename(temporary, pathOf(key));
      await index.set(key, { size, created: Date.now() });
      await prune();
    },
  };
}
