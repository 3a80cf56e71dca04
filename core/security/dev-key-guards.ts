// First guard implementation: the development key only, compared in constant time. The
// security issue replaces it with hashed keys in SQLite and real rate limits.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HubConfig } from '../config/load-config.ts';
import { errors } from '../errors.ts';
import type { Guards } from '../http/guards.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const match = /^(?:Bearer|Api-Key)\s+(\S+)$/i.exec(auth.trim());
    if (match) return match[1];
  }
  return undefined;
}

export function makeDevKeyGuards(deps: { config: HubConfig }): Guards {
  const expected = digest(deps.config.auth.devKey);
  return {
    authenticate: () =>
      function authenticate(req, _res, next) {
        const key = presentedKey(req.headers);
        if (!key) throw errors.unauthenticated('missing API key: send it in the X-API-Key header');
        if (deps.config.env === 'production' || !timingSafeEqual(digest(key), expected)) throw errors.unauthenticated('invalid API key');
        req.principal = { keyId: 'dev', name: 'development key', role: 'admin' };
        next();
      },
    requireRole: (role) =>
      function requireRole(req, _res, next) {
        if (req.principal?.role !== role) throw errors.forbidden(`this route needs the ${role} role`);
        next();
      },
    rateLimit: () => (_req, _res, next) => next(),
  };
}
