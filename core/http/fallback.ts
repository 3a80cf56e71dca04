// Unknown paths get 404 and known paths with the wrong method 405 with `Allow`, both in
// the `{"detail": ...}` shape. The route table is the OpenAPI document's path list.
import type { RequestHandler } from 'express';
import { errors } from '../errors.ts';

export function makeFallback(paths: () => Readonly<Record<string, Readonly<Record<string, unknown>>>>): RequestHandler {
  let table: { pattern: RegExp; methods: string[] }[] | undefined;
  const build = () =>
    Object.entries(paths()).map(([path, item]) => ({
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}/?$`),
      methods: Object.keys(item).filter((k) => /^(get|put|post|delete|patch|head|options)$/.test(k)).map((m) => m.toUpperCase()),
    }));
  return function fallback(req, _res, next) {
    table ??= build();
    const allowed = [...new Set(table.filter((t) => t.pattern.test(req.path)).flatMap((t) => t.methods))];
    if (allowed.length && !allowed.includes(req.method)) return next(errors.methodNotAllowed(req.method, req.path, allowed));
    next(errors.notFound(`route ${req.method} ${req.path}`));
  };
}
