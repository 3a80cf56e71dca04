// Who is calling: a key from the database, the operator key from HUB_ADMIN_KEY, or (never
// in production) the public development key. Every comparison is of SHA-256 digests in
// constant time, so response timing says nothing about how much of a key was right.
import type { RequestHandler } from 'express';
import type { HubConfig } from '../config/load-config.ts';
import { errors } from '../errors.ts';
import type { Principal } from '../http/request-types.ts';
import type { AuthThrottle } from './auth-throttle.ts';
import { hashKey, keyIdOf, sameDigest } from './key-format.ts';
import type { KeyStore, Role } from './key-store.ts';
import { presentedKey } from './presented-key.ts';
import '../http/request-types.ts';

export const DEV_PRINCIPAL: Principal = { keyId: 'dev', name: 'development key', role: 'admin' };
export const OPERATOR_PRINCIPAL: Principal = { keyId: 'operator', name: 'operator key (HUB_ADMIN_KEY)', role: 'admin' };

const HOW_TO_SEND = "send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'";

/** Loopback clients: the machine the hub runs on (IPv4, IPv6 and IPv4-mapped IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

export function makeAuthenticator(deps: { config: Pick<HubConfig, 'auth' | 'env' | 'server'>; keys: KeyStore; throttle?: AuthThrottle }) {
  const production = deps.config.env === 'production';
  // The development key is public and has the admin role: on a hub bound beyond loopback
  // (HOST=0.0.0.0), anyone on the network could use it to create keys. It then serves only
  // callers on the hub's own machine.
  const devKeyLocalOnly = !isLoopback(deps.config.server.host) && deps.config.server.host !== 'localhost';
  const devDigest = hashKey(deps.config.auth.devKey);
  const operatorDigest = deps.config.auth.adminKey ? hashKey(deps.config.auth.adminKey) : undefined;

  function identify(key: string, client: string | undefined): Principal {
    const digest = hashKey(key);
    if (operatorDigest && sameDigest(digest, operatorDigest)) return OPERATOR_PRINCIPAL;
    if (sameDigest(digest, devDigest)) {
      if (production) throw errors.unauthenticated('the development key is refused in production; ask the operator for a key (npm run keys -- create)');
      if (devKeyLocalOnly && !isLoopback(client)) throw errors.unauthenticated('the development key works only from the machine the hub runs on; ask the operator for a key (npm run keys -- create)');
      return DEV_PRINCIPAL;
    }
    const found = deps.keys.check(key);
    if (!found.ok) throw errors.unauthenticated(found.reason === 'unknown' ? 'invalid API key' : `this API key has been ${found.reason}`);
    deps.keys.touch(found.record.id);
    const { id, name, role, limits } = found.record;
    return { keyId: id, name, role, limits };
  }

  /**
   * The principal a request's headers name, for a client at `client` (its address); throws
   * 401 when there is none, and 429 once that address or key id has failed too often.
   */
  function principalOf(headers: Readonly<Record<string, string | string[] | undefined>>, client: string | undefined): Principal {
    const presented = presentedKey(headers);
    if (presented.kind === 'none') throw errors.unauthenticated(`missing API key: ${HOW_TO_SEND}`);
    const keyId = presented.kind === 'key' ? keyIdOf(presented.key) : undefined;
    deps.throttle?.assertAllowed(client, keyId);
    try {
      if (presented.kind === 'malformed') throw errors.unauthenticated(presented.problem);
      return identify(presented.key, client);
    } catch (error) {
      deps.throttle?.recordFailure(client, keyId);
      throw error;
    }
  }

  return {
    principalOf,
    authenticate(): RequestHandler {
      return function authenticate(req, _res, next) {
        // req.ip is the socket's peer, or with `trust proxy` the client the trusted proxy names.
        req.principal = principalOf(req.headers, req.ip);
        next();
      };
    },
    requireRole(role: Role): RequestHandler {
      return function requireRole(req, _res, next) {
        if (!req.principal) throw errors.unauthenticated(`missing API key: ${HOW_TO_SEND}`);
        if (role === 'admin' && req.principal.role !== 'admin') throw errors.forbidden(`this route needs a key with the admin role; key '${req.principal.name}' has the ${req.principal.role} role`);
        next();
      };
    },
  };
}
