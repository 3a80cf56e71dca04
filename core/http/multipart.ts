// Streams a multipart body to temp files, enforcing every limit while bytes arrive: a
// file that crosses its class limit is answered 413 at that moment, not after buffering.
import type { Request } from 'express';
import busboy from 'busboy';
import { errors, type HubError } from '../errors.ts';
import type { UploadClass, UploadDecl, UploadedFile } from '../plugin/types.ts';
import type { TempArea } from './temp-area.ts';

export interface UploadLimits {
  readonly classes: Readonly<Record<UploadClass, { readonly maxBytes: number; readonly maxSeconds?: number }>>;
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
  if (bytes >= 1024 * 1024 * 1024) return `${+(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/**
 * Client file names are shown back, never used as paths. A name that is itself a path
 * (`../../etc/passwd`, `C:\x.wav`) or holds control characters is refused: no honest
 * client sends one.
 */
function checkedName(field: string, name: string | undefined): string {
  if (name === undefined || name === '') return 'upload';
  if (/[\\/\x00-\x1f\x7f]/.test(name) || name === '.' || name === '..' || name.includes('\ufffd')) {
    throw errors.badRequest(`${field}: file name '${name.replace(/[\x00-\x1f\x7f]/g, '?').slice(0, 80)}' must be a plain name, not a path`);
  }
  return name.slice(0, 200);
}

/** Field values must be UTF-8; busboy turns invalid bytes into U+FFFD, which we refuse. */
function checkedText(name: string, value: string): string {
  if (value.includes('\ufffd')) throw errors.badRequest(`field '${name}' is not valid UTF-8 text`);
  return value;
}

export function parseMultipart(req: Request, uploads: readonly UploadDecl[], limits: UploadLimits, temp: TempArea): Promise<ParsedBody> {
  const byName = new Map<string, UploadDecl>();
  for (const decl of uploads) for (const name of [decl.name, ...(decl.aliases ?? [])]) byName.set(name, decl);
  const accepted = uploads.map((u) => u.name).join(', ') || 'none';
  const largestClass = Math.max(...Object.values(limits.classes).map((c) => c.maxBytes));

  return new Promise((resolve, reject) => {
    const fields: Record<string, unknown> = {};
    const files: Record<string, UploadedFile> = {};
    const writes: Promise<void>[] = [];
    let failed = false;
    let received = 0;
    let parser: busboy.Busboy;

    const parts: { stream: NodeJS.ReadableStream; out: NodeJS.WritableStream }[] = [];
    const fail = (error: HubError) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.off('data', countBytes);
      req.pause();
      for (const { stream, out } of parts) {
        stream.unpipe(out);
        stream.resume();
      }
      reject(error);
    };
    const attempt = (step: () => void) => {
      try {
        step();
      } catch (error) {
        fail(error as HubError);
      }
    };
    const countBytes = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxRequestBytes) fail(errors.payloadTooLarge(`request body exceeds the ${formatBytes(limits.maxRequestBytes)} limit`));
    };

    try {
      parser = busboy({
        headers: req.headers,
        defCharset: 'utf8',
        defParamCharset: 'utf8',
        // Keep the client's name whole so a path-like name can be refused, not trimmed.
        preservePath: true,
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
      // busboy fails a file stream cut short ("Unexpected end of form"); unheard, that would crash.
      stream.on('error', (error: Error) => fail(errors.malformedMultipart(error.message)));
      if (failed) return void stream.resume();
      const decl = byName.get(name);
      attempt(() => {
        if (!decl) throw errors.badRequest(`unexpected file field '${name.slice(0, 80)}'; this route accepts files in: ${accepted}`);
        if (files[decl.name]) throw errors.badRequest(`file field '${decl.name}' was sent more than once`);
        const limit = limits.classes[decl.class].maxBytes;
        const filename = checkedName(decl.name, info.filename);
        const { path, stream: out } = temp.file(`${fileIndex++}.upload`);
        let size = 0;
        files[decl.name] = {
          field: decl.name,
          filename,
          path,
          get size() {
            return size;
          },
          declaredType: info.mimeType,
          format: 'unknown',
          limitClass: decl.class,
        };
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) fail(errors.payloadTooLarge(`${decl.name}: the file exceeds the ${formatBytes(limit)} limit for ${decl.class} uploads`));
        });
        writes.push(
          new Promise<void>((done, broke) => {
            out.on('finish', done);
            // Once the request has failed, the temp area closes files under the parser's feet.
            out.on('error', (error) => (failed ? done() : broke(error)));
            out.on('close', () => (failed ? done() : undefined));
          }),
        );
        parts.push({ stream, out });
        stream.pipe(out);
      });
      if (failed) stream.resume();
    });

    parser.on('field', (name, value, info) => {
      if (failed) return;
      attempt(() => {
        if (info.nameTruncated || name === '__proto__') throw errors.badRequest(`field name '${name.slice(0, 80)}' is not acceptable`);
        if (info.valueTruncated) throw errors.payloadTooLarge(`field '${name}' exceeds the ${formatBytes(limits.maxFieldBytes)} limit for text fields`);
        if (byName.has(name)) throw errors.badRequest(`field '${name}' must be sent as a file upload`);
        if (Object.hasOwn(fields, name)) throw errors.badRequest(`field '${name}' was sent more than once`);
        fields[name] = checkedText(name, value);
      });
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
    req.on('close', () => {
      if (!req.complete) fail(errors.badRequest('request aborted by the client'));
    });
    req.pipe(parser);
    req.on('data', countBytes);
  });
}
