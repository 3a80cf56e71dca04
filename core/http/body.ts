// Reads a route's body: multipart (streamed, limited), JSON or a urlencoded form. Temp
// files live in one folder per request, removed when the response closes, whatever happened.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import express, { type RequestHandler } from 'express';
import { errors } from '../errors.ts';
import type { RouteDecl } from '../plugin/types.ts';
import { formatBytes, parseMultipart, type UploadLimits } from './multipart.ts';
import { sniffFile } from './sniff-format.ts';
import './request-types.ts';

export interface BodyOptions {
  readonly limits: UploadLimits;
  readonly jsonLimitBytes: number;
  readonly tempDir: string;
}

function hasBody(req: { headers: Record<string, unknown> }): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export function makeBodyReader(options: BodyOptions) {
  const json = express.json({ limit: options.jsonLimitBytes, strict: true });
  const form = express.urlencoded({ limit: options.jsonLimitBytes, extended: false, parameterLimit: options.limits.maxFields });
  const run = (parser: RequestHandler, req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) =>
    new Promise<void>((resolve, reject) => parser(req, res, (error?: unknown) => (error ? reject(error) : resolve())));

  return function bodyFor(route: Pick<RouteDecl, 'uploads' | 'method'>): RequestHandler {
    const uploads = route.uploads ?? [];
    return async function readBody(req, res, next) {
      req.files = {};
      const query = Object.fromEntries(Object.entries(req.query ?? {}).filter(([k]) => k !== 'async'));
      if (route.method === 'GET' || route.method === 'DELETE' || !hasBody(req)) {
        req.fields = query;
        return next();
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > options.limits.maxRequestBytes) {
        res.setHeader('Connection', 'close');
        throw errors.payloadTooLarge(`request body of ${formatBytes(declared)} exceeds the ${formatBytes(options.limits.maxRequestBytes)} limit`);
      }
      const type = req.is(['multipart/form-data', 'application/json', 'application/x-www-form-urlencoded']);
      if (type === 'multipart/form-data') {
        const dir = join(options.tempDir, req.id);
        res.once('close', () => void rm(dir, { recursive: true, force: true }));
        try {
          const body = await parseMultipart(req, uploads, options.limits, dir);
          for (const file of Object.values(body.files)) file.format = await sniffFile(file.path);
          req.fields = { ...query, ...body.fields };
          req.files = body.files;
        } catch (error) {
          // The rest of the body is not read: close the connection after the answer.
          res.setHeader('Connection', 'close');
          throw error;
        }
        return next();
      }
      if (type === 'application/json' || type === 'application/x-www-form-urlencoded') {
        await run(type === 'application/json' ? json : form, req, res);
        const body: unknown = req.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.badRequest('JSON body must be an object of fields');
        req.fields = { ...query, ...(body as Record<string, unknown>) };
        return next();
      }
      const accepted = uploads.length ? 'multipart/form-data' : 'multipart/form-data, application/json or application/x-www-form-urlencoded';
      throw errors.unsupportedMediaType(`request body must be ${accepted}; got '${req.get('content-type') ?? 'none'}'`);
    };
  };
}
