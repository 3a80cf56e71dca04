// Reads a multipart body as it streams, enforcing every limit while bytes arrive: a file
// that crosses its class limit is answered 413 at that moment, not after buffering. A file
// stays in memory up to `memoryBytes` (no file system work for the common small upload) and
// moves to a temp file the moment it grows past that.
import type { Request } from 'express';
import busboy from 'busboy';
import { errors, type HubError } from '../errors.ts';
import type { UploadClass, UploadDecl, UploadedFile } from '../plugin/types.ts';
import { watchDeclaredDuration } from './duration-watch.ts';
import { formatBytes } from './format-bytes.ts';
import type { TempArea } from './temp-area.ts';

export interface UploadLimits {
  readonly classes: Readonly<Record<UploadClass, { readonly maxBytes: number; readonly maxSeconds?: number }>>;
  readonly maxRequestBytes: number;
  readonly maxFiles: number;
  readonly maxFields: number;
  readonly maxFieldBytes: number;
  /** A file up to this size is kept in memory; a larger one is streamed to a temp file. */
  readonly memoryBytes: number;
}

export interface ParsedBody {
  fields: Record<string, unknown>;
  files: Record<string, UploadedFile>;
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
    // One entry per file, in the order the parts came, resolved once the part is held.
    const writes: Promise<UploadedFile>[] = [];
    const seen = new Set<string>();
    let failed = false;
    let finished = false; // resolved: a late refusal (the duration watch is async) changes nothing
    let received = 0;
    let parser: busboy.Busboy;

    const parts: { stream: NodeJS.ReadableStream; out?: NodeJS.WritableStream }[] = [];
    const fail = (error: HubError) => {
      if (failed || finished) return;
      failed = true;
      req.unpipe(parser);
      req.off('data', countBytes);
      req.pause();
      for (const { stream, out } of parts) {
        if (out) stream.unpipe(out);
        stream.resume();
      }
      reject(error);
    };

    /** Holds one file part in memory, or in a temp file once it outgrows `memoryBytes`. */
    const receive = (stream: NodeJS.ReadableStream, part: (typeof parts)[number], index: number) =>
      new Promise<{ bytes: Uint8Array } | { path: string }>((done, broke) => {
        const settleBroken = (error: Error) => (failed ? done({ bytes: new Uint8Array(0) }) : broke(error));
        const chunks: Buffer[] = [];
        let held = 0;
        const hold = (chunk: Buffer) => {
          if (failed) return void (chunks.length = 0); // the body is being drained, not kept
          chunks.push(chunk);
          held += chunk.length;
          if (held > limits.memoryBytes) void spill();
        };
        const keep = () => {
          const bytes = new Uint8Array(held);
          let at = 0;
          for (const chunk of chunks) (bytes.set(chunk, at), (at += chunk.length));
          // The socket's buffers the chunks view are let go now: this closure lives as long as
          // the request, and held through the model's work they were promoted by every garbage
          // collection they met, each one bringing the next full collection closer.
          chunks.length = 0;
          done({ bytes });
        };
        const spill = async () => {
          stream.off('data', hold);
          stream.off('end', keep);
          stream.pause();
          try {
            await temp.open();
            if (failed) return void (stream.resume(), done({ bytes: new Uint8Array(0) }));
            const { path, stream: out } = temp.file(`${index}.upload`);
            part.out = out;
            out.on('finish', () => done({ path }));
            // Once the request has failed, the temp area closes files under the parser's feet.
            out.on('error', settleBroken);
            out.on('close', () => (failed ? done({ path }) : undefined));
            for (const chunk of chunks.splice(0)) out.write(chunk);
            stream.pipe(out);
          } catch (error) {
            settleBroken(error as Error);
          }
        };
        stream.on('data', hold);
        stream.on('end', keep);
      });
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
        if (seen.has(decl.name)) throw errors.badRequest(`file field '${decl.name}' was sent more than once`);
        seen.add(decl.name);
        const limit = limits.classes[decl.class].maxBytes;
        const filename = checkedName(decl.name, info.filename);
        let size = 0;
        const maxSeconds = limits.classes[decl.class].maxSeconds;
        const watch = maxSeconds === undefined ? undefined : watchDeclaredDuration({ field: decl.name, limitClass: decl.class, maxSeconds, refuse: fail });
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) fail(errors.payloadTooLarge(`${decl.name}: the file exceeds the ${formatBytes(limit)} limit for ${decl.class} uploads`));
          watch?.(chunk);
        });
        const part: (typeof parts)[number] = { stream };
        parts.push(part);
        writes.push(receive(stream, part, fileIndex++).then((held) => ({ field: decl.name, filename, size, declaredType: info.mimeType, format: 'unknown', limitClass: decl.class, ...held })));
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
        (held) => {
          if (failed) return;
          finished = true;
          resolve({ fields, files: Object.fromEntries(held.map((file) => [file.field, file])) });
        },
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
