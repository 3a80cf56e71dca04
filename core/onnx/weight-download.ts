// Fetches a plugin's weight files from the registry's URLs, or from another base URL or a
// local folder. URLs go through the hub's safe fetcher. Each file streams into
// `.partial/<path>.part`; a broken transfer is resumed with an HTTP Range request (here, up
// to `retries` times, or by a later pull), is checked against the registry's size and
// sha256, and only then renamed into place, so a half-written file never sits under its
// real name. Files are private (0600 in 0700 folders).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FetchError, type SafeFetcher } from '../net/safe-fetch.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import { joinUrl, type WeightFile } from './weight-files.ts';

export interface DownloadTick {
  /** File being fetched (path inside the weight folder). */
  readonly file: string;
  /** Bytes of every file done so far, this one included. */
  readonly bytes: number;
  /** Sum of known sizes (registry sizes, or Content-Length once seen); 0 when unknown. */
  readonly total: number;
  readonly phase: 'downloading' | 'verifying';
}

export interface DownloadOptions {
  readonly plugin: LoadedPlugin;
  readonly files: readonly WeightFile[];
  /** The plugin's weight folder. */
  readonly dir: string;
  /** A base URL or a folder to fetch from instead of the registry's URLs. */
  readonly from?: string;
  /** Every URL is fetched through it. */
  readonly fetcher: SafeFetcher;
  /** When set, local files are read only if they really lie under this folder (symlinks resolved). */
  readonly localRoot?: string;
  /** Times a broken transfer of one file is resumed before the pull fails (default 0). */
  readonly retries?: number;
  readonly signal?: AbortSignal;
  readonly onTick?: (tick: DownloadTick) => void;
}

export class DownloadError extends Error {
  /** `refused`: retrying cannot help (an address, a status, a checksum); the others may pass on a retry. */
  readonly kind: 'refused' | 'failed' | 'too-large' | 'timeout';
  constructor(message: string, kind: DownloadError['kind'] = 'refused') {
    super(message);
    this.name = 'DownloadError';
    this.kind = kind;
  }
}

type Source = { kind: 'url'; url: string } | { kind: 'file'; path: string };

function sourceOf(plugin: LoadedPlugin, file: WeightFile, from: string | undefined): Source {
  if (from !== undefined) {
    if (/^https?:\/\//i.test(from)) return { kind: 'url', url: joinUrl(from, file.path) };
    return { kind: 'file', path: join(isAbsolute(from) ? from : resolve(from), file.path) };
  }
  if (file.url) return { kind: 'url', url: file.url };
  throw new DownloadError(`plugin '${plugin.decl.name}': the registry gives no URL for ${file.path}; fetch from elsewhere with --from <dir|url>`);
}

const causeOf = (error: Error) => (error.cause instanceof Error ? error.cause.message : error.message);

/** The real path of a local source file, refused when it is outside `root`: the same words whether it exists or not. */
async function confined(path: string, root: string | undefined): Promise<string> {
  if (root === undefined) return path;
  const outside = new DownloadError(`${relative(root, path) || path}: not a file under the import directory`);
  const realRoot = await realpath(root).catch(() => {
    throw outside;
  });
  const real = await realpath(path).catch(() => {
    throw outside;
  });
  if (real !== realRoot && !real.startsWith(realRoot + sep)) throw outside;
  return real;
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}

async function hashInto(hash: Hash, path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
}

/** Byte chunks from the source, starting at `offset` when the source can resume. */
async function openSource(
  source: Source,
  offset: number,
  options: Pick<DownloadOptions, 'fetcher' | 'localRoot' | 'signal'>,
): Promise<{ resumed: boolean; length: number | undefined; chunks: AsyncIterable<Uint8Array> }> {
  const { signal } = options;
  if (source.kind === 'file') {
    const path = await confined(source.path, options.localRoot);
    const found = await stat(path).catch(() => undefined);
    if (!found?.isFile()) throw new DownloadError(`${options.localRoot ? relative(options.localRoot, path) : path}: no such file`);
    const start = Math.min(offset, found.size);
    return { resumed: start > 0, length: found.size, chunks: createReadStream(path, { start, highWaterMark: 1 << 20, signal }) };
  }
  const response = await options.fetcher.get(source.url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal }).catch((error: Error) => {
    if (signal?.aborted || !(error instanceof FetchError)) throw error;
    throw new DownloadError(`GET ${error.message}`, error.kind);
  });
  if (response.status === 416 && offset > 0) {
    response.discard();
    return { resumed: true, length: offset, chunks: (async function* () {})() };
  }
  // The body of an error answer is never read: nothing of it reaches a message.
  if (response.status !== 200 && response.status !== 206) {
    response.discard();
    throw new DownloadError(`GET ${response.url} answered ${response.status}`, response.status >= 500 ? 'failed' : 'refused');
  }
  const resumed = response.status === 206 && offset > 0;
  if (response.status === 206 && !resumed) {
    response.discard();
    throw new DownloadError(`GET ${response.url} answered 206 to a request for the whole file`, 'refused');
  }
  const contentLength = Number(response.headers['content-length'] ?? NaN);
  const length = Number.isFinite(contentLength) ? contentLength + (resumed ? offset : 0) : undefined;
  return { resumed, length, chunks: response.body };
}

export interface DownloadedFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** Downloads every file; returns their sha256 (for the verified stamp). Throws DownloadError. */
export async function downloadWeights(options: DownloadOptions): Promise<DownloadedFile[]> {
  const { plugin, dir, signal } = options;
  const sizes = new Map(options.files.map((f) => [f.path, f.size]));
  const total = () => [...sizes.values()].reduce<number>((sum, s) => sum + (s ?? 0), 0);
  let doneBytes = 0;
  const done: DownloadedFile[] = [];

  for (const file of options.files) {
    const source = sourceOf(plugin, file, options.from);
    for (let attempt = 0; ; attempt++) {
      try {
        const fetched = await fetchOne(file, source, options, (have) => options.onTick?.({ file: file.path, bytes: doneBytes + have, total: total(), phase: 'downloading' }), (length) => {
          if (file.size === undefined && length !== undefined) sizes.set(file.path, length);
        });
        options.onTick?.({ file: file.path, bytes: doneBytes + fetched.size, total: total(), phase: 'verifying' });
        await install(file, fetched, dir);
        doneBytes += fetched.size;
        done.push({ path: file.path, sha256: fetched.sha256, size: fetched.size });
        break;
      } catch (error) {
        const retryable = error instanceof DownloadError && error.kind !== 'refused' && error.kind !== 'too-large';
        if (signal?.aborted || !retryable || attempt >= (options.retries ?? 0)) throw error;
        // The partial file stays: the next attempt asks only for the bytes still missing.
        await sleep(Math.min(250 * 2 ** attempt, 5000), undefined, { signal });
      }
    }
  }
  await rm(join(dir, '.partial'), { recursive: true, force: true });
  return done;
}

interface Fetched {
  readonly partial: string;
  readonly sha256: string;
  readonly size: number;
  readonly expectedSize: number | undefined;
}

/** Streams one file into its `.part` file, resuming what an earlier attempt left. */
async function fetchOne(file: WeightFile, source: Source, options: DownloadOptions, onBytes: (have: number) => void, onLength: (length: number | undefined) => void): Promise<Fetched> {
  const { dir, signal } = options;
  const partial = join(dir, '.partial', `${file.path}.part`);
  await mkdir(dirname(partial), { recursive: true, mode: 0o700 });
  const hash = createHash('sha256');
  let have = await sizeOf(partial);
  const opened = await openSource(source, have, options);
  if (opened.resumed) await hashInto(hash, partial);
  else have = 0;
  onLength(opened.length);

  const handle = await open(partial, opened.resumed ? 'a' : 'w', 0o600);
  try {
    for await (const chunk of opened.chunks) {
      signal?.throwIfAborted();
      await handle.write(chunk);
      hash.update(chunk);
      have += chunk.byteLength;
      onBytes(have);
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    if (error instanceof FetchError && error.kind === 'too-large') throw new DownloadError(`${file.path}: ${error.message}`, 'too-large');
    throw new DownloadError(`${file.path}: the transfer broke off after ${have} bytes (${causeOf(error as Error)}); pull again to resume`, 'failed');
  } finally {
    await handle.close();
  }
  return { partial, sha256: hash.digest('hex'), size: have, expectedSize: file.size ?? opened.length };
}

/** Checks size and sha256, then renames the file into place. */
async function install(file: WeightFile, fetched: Fetched, dir: string): Promise<void> {
  const { partial, sha256, size, expectedSize } = fetched;
  if (expectedSize !== undefined && size !== expectedSize) {
    // A short file may resume later; a longer one is wrong and starts over.
    if (size > expectedSize) await rm(partial, { force: true });
    throw new DownloadError(`${file.path}: got ${size} bytes, expected ${expectedSize}`, size < expectedSize ? 'failed' : 'refused');
  }
  if (file.sha256 !== undefined && sha256 !== file.sha256) {
    await rm(partial, { force: true });
    throw new DownloadError(`${file.path}: sha256 ${sha256} does not match the registry's ${file.sha256}`);
  }
  const target = join(dir, file.path);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  await rename(partial, target);
}
