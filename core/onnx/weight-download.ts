// Fetches a plugin's weight files from the registry's URLs, or from another base URL or a
// local folder. Each file streams into `.partial/<path>.part` (a later pull resumes it with
// an HTTP Range request), is checked against the registry's size and sha256, and only then
// renamed into place, so a half-written file never sits under its real name.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
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
  readonly signal?: AbortSignal;
  readonly onTick?: (tick: DownloadTick) => void;
}

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
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

/** fetch() reports "fetch failed"; the reason is in its cause. */
const causeOf = (error: Error) => (error.cause instanceof Error ? error.cause.message : error.message);

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}

async function hashInto(hash: Hash, path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
}

/** Byte chunks from the source, starting at `offset` when the source can resume. */
async function openSource(source: Source, offset: number, signal: AbortSignal | undefined): Promise<{ resumed: boolean; length: number | undefined; chunks: AsyncIterable<Uint8Array> }> {
  if (source.kind === 'file') {
    const size = await sizeOf(source.path);
    if (size === 0 && !(await stat(source.path).catch(() => undefined))) throw new DownloadError(`${source.path} does not exist`);
    const start = Math.min(offset, size);
    return { resumed: start > 0, length: size, chunks: createReadStream(source.path, { start, highWaterMark: 1 << 20, signal }) };
  }
  const response = await fetch(source.url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal, redirect: 'follow' }).catch((error: Error) => {
    if (signal?.aborted) throw error;
    throw new DownloadError(`GET ${source.url} failed: ${causeOf(error)}`);
  });
  if (response.status === 416 && offset > 0) return { resumed: true, length: offset, chunks: (async function* () {})() };
  if (!response.ok || !response.body) throw new DownloadError(`GET ${source.url} answered ${response.status} ${response.statusText}`);
  const resumed = response.status === 206;
  const contentLength = Number(response.headers.get('content-length') ?? NaN);
  const length = Number.isFinite(contentLength) ? contentLength + (resumed ? offset : 0) : undefined;
  return { resumed, length, chunks: response.body as unknown as AsyncIterable<Uint8Array> };
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
    const target = join(dir, file.path);
    const partial = join(dir, '.partial', `${file.path}.part`);
    await mkdir(dirname(partial), { recursive: true });

    const hash = createHash('sha256');
    let have = await sizeOf(partial);
    const opened = await openSource(source, have, signal);
    if (opened.resumed) await hashInto(hash, partial);
    else have = 0;
    if (file.size === undefined && opened.length !== undefined) sizes.set(file.path, opened.length);

    const handle = await open(partial, opened.resumed ? 'a' : 'w');
    try {
      for await (const chunk of opened.chunks) {
        signal?.throwIfAborted();
        await handle.write(chunk);
        hash.update(chunk);
        have += chunk.byteLength;
        options.onTick?.({ file: file.path, bytes: doneBytes + have, total: total(), phase: 'downloading' });
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new DownloadError(`${file.path}: the transfer broke off after ${have} bytes (${causeOf(error as Error)}); pull again to resume`);
    } finally {
      await handle.close();
    }

    options.onTick?.({ file: file.path, bytes: doneBytes + have, total: total(), phase: 'verifying' });
    const sha256 = hash.digest('hex');
    const expectedSize = file.size ?? opened.length;
    if (expectedSize !== undefined && have !== expectedSize) {
      // A short file may resume later; a longer one is wrong and starts over.
      if (have > expectedSize) await rm(partial, { force: true });
      throw new DownloadError(`${file.path}: got ${have} bytes, expected ${expectedSize}`);
    }
    if (file.sha256 !== undefined && sha256 !== file.sha256) {
      await rm(partial, { force: true });
      throw new DownloadError(`${file.path}: sha256 ${sha256} does not match the registry's ${file.sha256}`);
    }
    await mkdir(dirname(target), { recursive: true });
    await rename(partial, target);
    doneBytes += have;
    done.push({ path: file.path, sha256, size: have });
  }
  await rm(join(dir, '.partial'), { recursive: true, force: true });
  return done;
}
