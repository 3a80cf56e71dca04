// Getting a dub's or voice's audio onto disk: a `link` through the hub's one SSRF-safe
// fetcher (http/https, every resolved address checked, redirects re-checked, size and idle
// limits), or the body of a PUT to a presigned upload URL, counted while it streams. Either
// way the format is sniffed from the bytes; a video container our decoders cannot take the
// audio from is refused naming the container.
import { createWriteStream } from 'node:fs';
import type { Request, Response } from 'express';
import { closeAfterAnswer } from '../../http/lingering-close.ts';
import { open, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';
import { HubError } from '../../errors.ts';
import { formatBytes } from '../../http/format-bytes.ts';
import { sniffFile, type SniffedFormat } from '../../http/sniff-format.ts';
import { FetchError, redact, type SafeFetcher } from '../../net/safe-fetch.ts';

export const dubError = (code: string, status: number, message: string) => new HubError(code, status, message);

/** Writes a stream to `path`, refusing (413) past `maxBytes` while it arrives; nothing is left behind on failure. */
export async function saveLimited(body: AsyncIterable<Uint8Array> | Readable, path: string, maxBytes: number): Promise<number> {
  let bytes = 0;
  try {
    await pipeline(
      body,
      async function* count(source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          bytes += chunk.byteLength;
          if (bytes > maxBytes) throw dubError('payload_too_large', 413, `the file is larger than the ${formatBytes(maxBytes)} limit`);
          yield chunk;
        }
      },
      createWriteStream(path, { mode: 0o600 }),
    );
    return bytes;
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}

/**
 * Writes a request body to `path`, answering 413 past `maxBytes` while it streams. The rest of
 * the body is not read: the answer goes out, then the connection closes (closeAfterAnswer).
 */
export async function saveRequestBody(req: Request, res: Response, path: string, maxBytes: number): Promise<number> {
  const out = createWriteStream(path, { mode: 0o600 });
  try {
    return await new Promise<number>((resolve, reject) => {
      let bytes = 0;
      const fail = (error: unknown) => {
        req.off('data', onData);
        reject(error);
      };
      const onData = (chunk: Buffer) => {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) return fail(dubError('payload_too_large', 413, `the file is larger than the ${formatBytes(maxBytes)} limit`));
        if (!out.write(chunk)) {
          req.pause();
          out.once('drain', () => req.resume());
        }
      };
      req.on('data', onData);
      req.once('end', () => out.end(() => resolve(bytes)));
      req.once('error', fail);
      out.once('error', fail);
    });
  } catch (error) {
    out.destroy();
    await rm(path, { force: true });
    if (!req.complete) closeAfterAnswer(req, res);
    throw error;
  }
}

/** The audio format of a saved file, or a 415/422 naming what it is instead. */
export async function audioFormatOf(path: string, decodable: readonly string[]): Promise<SniffedFormat> {
  const format = await sniffFile(path);
  if (format !== 'unknown' && format !== 'npy' && decodable.includes(format)) return format;
  const handle = await open(path, 'r');
  const head = new Uint8Array(4100);
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const kind = await fileTypeFromBuffer(head);
  if (kind && (kind.mime.startsWith('video/') || ['mp4', 'm4a', 'mov', 'webm', 'mkv', 'avi', 'flv', 'aac'].includes(kind.ext))) {
    throw dubError('unsupported_container', 422, `the file is a ${kind.ext} container (${kind.mime}); the hub cannot take its audio track yet: send WAV, MP3, FLAC, Ogg Vorbis or Ogg Opus`);
  }
  throw dubError('unsupported_media_type', 415, `the file is not audio the hub reads${kind ? ` (it looks like ${kind.mime})` : ''}: send WAV, MP3, FLAC, Ogg Vorbis or Ogg Opus`);
}

/** Longest a whole link download may take (the fetcher also cuts a stall at its idle limit). */
export const LINK_DEADLINE_MS = 10 * 60_000;

/** Fetches `link` to `path` through the safe fetcher; failures become the dub's error. */
export async function fetchLink(fetcher: SafeFetcher, link: string, path: string, options: { maxBytes: number; signal: AbortSignal; deadlineMs?: number }): Promise<number> {
  const deadline = AbortSignal.timeout(options.deadlineMs ?? LINK_DEADLINE_MS);
  const signal = AbortSignal.any([options.signal, deadline]);
  try {
    const res = await fetcher.get(link, { maxBytes: options.maxBytes, signal });
    if (res.status < 200 || res.status >= 300) {
      res.discard();
      throw dubError('link_failed', 422, `${redact(link)} answered HTTP ${res.status}`);
    }
    return await saveLimited(res.body, path, options.maxBytes);
  } catch (error) {
    if (deadline.aborted && !options.signal.aborted) {
      await rm(path, { force: true });
      throw dubError('link_timeout', 422, `${redact(link)} took longer than ${Math.round((options.deadlineMs ?? LINK_DEADLINE_MS) / 1000)} s to download`);
    }
    if (error instanceof FetchError) {
      const code = error.kind === 'refused' ? 'link_refused' : error.kind === 'too-large' ? 'payload_too_large' : 'link_failed';
      throw dubError(code, error.kind === 'too-large' ? 413 : 422, error.message);
    }
    throw error;
  }
}
