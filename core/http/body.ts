// Reads a route's body: multipart (streamed, limited), JSON or a urlencoded form, plus the
// query string. Uploads stay in memory up to `uploads.memoryBytes`, larger ones go to a
// private temp folder that is removed when the response closes, whatever happened; a body we stop reading is answered, then the connection closed.
import type { Request, RequestHandler } from 'express';
import { errors } from '../errors.ts';
import type { RouteDecl } from '../plugin/types.ts';
import { parseJsonObject, parseUrlEncoded, readWithin, strictQuery, decodeUtf8 } from './field-body.ts';
import { closeAfterAnswer } from './lingering-close.ts';
import { formatBytes } from './format-bytes.ts';
import { parseMultipart, type UploadLimits } from './multipart.ts';
import { sniffBytes, sniffFile } from './sniff-format.ts';
import { makeTempArea } from './temp-area.ts';
import { checkUploadHeader } from './upload-checks.ts';
import './request-types.ts';

export interface BodyOptions {
  readonly limits: UploadLimits;
  readonly jsonLimitBytes: number;
  readonly tempDir: string;
}

/** Query parameters the core itself reads (not route fields). */
const CORE_QUERY = new Set(['async']);

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function checkEncoding(req: Request): void {
  const coding = req.headers['content-encoding'];
  if (coding !== undefined && coding.trim().toLowerCase() !== 'identity') {
    throw errors.unsupportedMediaType(`Content-Encoding '${coding.slice(0, 40)}' is not accepted; send the body uncompressed`);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw errors.unsupportedMediaType(`charset '${charset.slice(0, 40)}' is not accepted; send UTF-8`);
  }
}

function merge(query: Record<string, unknown>, body: Record<string, unknown>): Record<string, unknown> {
  for (const name of Object.keys(body)) {
    if (Object.hasOwn(query, name)) throw errors.badRequest(`field '${name}' was sent both in the query string and in the body`);
  }
  return { ...query, ...body };
}

export function makeBodyReader(options: BodyOptions) {
  const { limits } = options;
  const fieldLimit = Math.min(options.jsonLimitBytes, limits.maxRequestBytes);

  return function bodyFor(route: Pick<RouteDecl, 'uploads' | 'method'>): RequestHandler {
    const uploads = route.uploads ?? [];
    return async function readBody(req, res, next) {
      req.files = {};
      const type = req.is(['multipart/form-data', 'application/json', 'application/x-www-form-urlencoded']);
      const declared = Number(req.headers['content-length'] ?? 0);
      const cap = type === 'multipart/form-data' ? limits.maxRequestBytes : fieldLimit;
      try {
        const query = Object.fromEntries(Object.entries(strictQuery(req, limits.maxFields)).filter(([name]) => !CORE_QUERY.has(name)));
        if (route.method === 'GET' || route.method === 'DELETE' || !hasBody(req)) {
          req.fields = query;
          return next();
        }
        if (declared > cap) throw errors.payloadTooLarge(`request body of ${formatBytes(declared)} exceeds the ${formatBytes(cap)} limit`);
        checkEncoding(req);
        if (type === 'multipart/form-data') {
          const temp = makeTempArea(options.tempDir);
          res.once('close', () => void temp.remove());
          try {
            const body = await parseMultipart(req, uploads, limits, temp);
            for (const file of Object.values(body.files)) {
              file.format = file.bytes ? sniffBytes(file.bytes) : await sniffFile(file.path);
              await checkUploadHeader(file, limits.classes);
            }
            req.fields = merge(query, body.fields);
            req.files = body.files;
          } catch (error) {
            await temp.remove();
            throw error;
          }
          return next();
        }
        if (type === 'application/json') {
          req.fields = merge(query, parseJsonObject(await readWithin(req, fieldLimit)));
          return next();
        }
        if (type === 'application/x-www-form-urlencoded') {
          const text = decodeUtf8(await readWithin(req, fieldLimit), 'form body');
          req.fields = merge(query, parseUrlEncoded(text, 'form body', limits.maxFields));
          return next();
        }
        const accepted = uploads.length ? 'multipart/form-data' : 'multipart/form-data, application/json or application/x-www-form-urlencoded';
        throw errors.unsupportedMediaType(`request body must be ${accepted}; got '${(req.get('content-type') ?? 'none').slice(0, 80)}'`);
      } catch (error) {
        // The body may be half read: answer, then close rather than parse the rest as a request.
        if (!req.complete) closeAfterAnswer(req, res);
        throw error;
      }
    };
  };
}
