// Streams a multipart body to temp files, enforcing every limit while bytes arrive: a
// file that crosses its class limit is answered 413 at that moment, not after buffering.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'express';
import busboy from 'busboy';
import { errors, type HubError } from '../errors.ts';
import type { UploadClass, UploadDecl, UploadedFile } from '../plugin/types.ts';

export interface UploadLimits {
  readonly classes: Readonly<Record<UploadClass, { readonly maxBytes: number }>>;
  readonly maxRequestBytes: number;
  readonly maxFiles: number;
  readonly maxFields: number;
  readonly maxFieldBytes: number;
}

export interface ParsedBody {
  fields: Record<string, unknown>;
  files: Record<string, UploadedFile>;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** Client file names are shown back, never used as paths. */
function sanitiseName(name: string | undefined): string {
  return (name ?? 'upload').replace(/[\\/]/g, '_').replace(/[^\x20-\x7e]/g, '_').slice(0, 200) || 'upload';
}

export async function parseMultipart(req: Request, uploads: readonly UploadDecl[], limits: UploadLimits, dir: string): Promise<ParsedBody> {
  await mkdir(dir, { recursive: true });
  return streamParts(req, uploads, limits, dir);
}

function streamParts(req: Request, uploads: readonly UploadDecl[], limits: UploadLimits, dir: string): Promise<ParsedBody> {
  const byName = new Map<string, UploadDecl>();
  for (const decl of uploads) for (const name of [decl.name, ...(decl.aliases ?? [])]) byName.set(name, decl);
  const accepted = uploads.map((u) => u.name).join(', ') || 'none';
  const largestClass = Math.max(...Object.values(limits.classes).map((c) => c.maxBytes));

  return new Promise((resolve, reject) => {
    const fields: Record<string, unknown> = {};
    const files: Record<string, UploadedFile> = {};
    const writes: Promise<void>[] = [];
    const open: WriteStream[] = [];
    let failed = false;
    let received = 0;
    let parser: busboy.Busboy;

    const fail = (error: HubError) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.off('data', countBytes);
      req.pause();
      for (const stream of open) stream.destroy();
      reject(error);
    };
    const countBytes = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxRequestBytes) fail(errors.payloadTooLarge(`request body exceeds the ${formatBytes(limits.maxRequestBytes)} limit`));
    };

    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: {
          fieldSize: limits.maxFieldBytes,
          fields: limits.maxFields,
          files: limits.maxFiles,
          parts: limits.maxFields + limits.maxFiles,
          fileSize: largestClass + 1,
        },
      });
    } catch (error) {
      reject(errors.malformedMultipart((error as Error).message));
      return;
    }

    let fileIndex = 0;
    parser.on('file', (name, stream, info) => {
      const decl = byName.get(name);
      if (failed) return void stream.resume();
      if (!decl) return fail(errors.badRequest(`unexpected file field '${name}'; this route accepts files in: ${accepted}`));
      if (files[decl.name]) return fail(errors.badRequest(`file field '${decl.name}' was sent more than once`));
      const limit = limits.classes[decl.class].maxBytes;
      const path = join(dir, `${fileIndex++}.upload`);
      let size = 0;
      const file: UploadedFile = {
        field: decl.name,
        filename: sanitiseName(info.filename),
        path,
        get size() {
          return size;
        },
        declaredType: info.mimeType,
        format: 'unknown',
        limitClass: decl.class,
      };
      files[decl.name] = file;
      const out = createWriteStream(path);
      open.push(out);
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          fail(errors.payloadTooLarge(`file field '${decl.name}' exceeds the ${formatBytes(limit)} limit for ${decl.class} uploads`));
          stream.resume();
        }
      });
      writes.push(
        new Promise<void>((done, broke) => {
          out.on('finish', done);
          out.on('error', broke);
          out.on('close', () => (failed ? done() : undefined));
        }),
      );
      stream.pipe(out);
    });

    parser.on('field', (name, value, info) => {
      if (failed) return;
      if (info.valueTruncated) return fail(errors.payloadTooLarge(`field '${name}' exceeds the ${formatBytes(limits.maxFieldBytes)} limit for text fields`));
      if (byName.has(name)) return fail(errors.badRequest(`field '${name}' must be sent as a file upload`));
      if (Object.hasOwn(fields, name)) return fail(errors.badRequest(`field '${name}' was sent more than once`));
      fields[name] = value;
    });
    parser.on('filesLimit', () => fail(errors.payloadTooLarge(`too many files: at most ${limits.maxFiles} per request`)));
    parser.on('fieldsLimit', () => fail(errors.payloadTooLarge(`too many fields: at most ${limits.maxFields} per request`)));
    parser.on('partsLimit', () => fail(errors.payloadTooLarge(`too many parts in the multipart body`)));
    parser.on('error', (error: Error) => fail(errors.malformedMultipart(error.message)));
    parser.on('close', () => {
      if (failed) return;
      Promise.all(writes).then(
        () => resolve({ fields, files }),
        (error: Error) => fail(errors.malformedMultipart(error.message)),
      );
    });
    req.on('aborted', () => fail(errors.badRequest('request aborted by the client')));
    req.pipe(parser);
    req.on('data', countBytes);
  });
}
