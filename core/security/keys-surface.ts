// /api/keys: list, create and revoke API keys over HTTP, for admin keys only. The same
// operations as `npm run keys`; a created key is in the 201 answer and nowhere else.
import type { RequestHandler } from 'express';
import { errors } from '../errors.ts';
import type { makeBodyReader } from '../http/body.ts';
import type { Guards } from '../http/guards.ts';
import type { Surface } from '../http/surface.ts';
import { compileFieldValidator } from '../http/validate-fields.ts';
import { checkedNewKey } from './key-input.ts';
import type { KeyRecord, KeyStore } from './key-store.ts';
import { KEY_SECURITY } from '../openapi/components.ts';
import { TAGS } from '../openapi/tags.ts';

const createFields = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, description: 'Who or what the key is for.' },
    role: { type: 'string', enum: ['user', 'admin'], default: 'user' },
    expires: { type: 'string', maxLength: 40, description: 'A duration from now (`30d`, `12h`, `2w`) or an ISO 8601 date.' },
    per_minute: { type: 'integer', minimum: 1, maximum: 1000000, description: 'Calls per minute per route for this key (default: the hub limit).' },
    per_hour: { type: 'integer', minimum: 1, maximum: 1000000, description: 'Calls per hour across routes for this key (default: the hub limit).' },
  },
} as const;

export function keyView(record: KeyRecord) {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    created_at: record.createdAt,
    last_used_at: record.lastUsedAt,
    expires_at: record.expiresAt,
    revoked_at: record.revokedAt,
    per_minute: record.limits.perMinute ?? null,
    per_hour: record.limits.perHour ?? null,
  };
}

const keySchema = {
  type: 'object',
  required: ['id', 'name', 'role', 'created_at'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'user'] },
    created_at: { type: 'string', format: 'date-time' },
    last_used_at: { type: ['string', 'null'], format: 'date-time' },
    expires_at: { type: ['string', 'null'], format: 'date-time' },
    revoked_at: { type: ['string', 'null'], format: 'date-time' },
    per_minute: { type: ['integer', 'null'] },
    per_hour: { type: ['integer', 'null'] },
  },
};

export function makeKeysSurface(deps: { guards: Guards; keys: KeyStore; bodyReader: ReturnType<typeof makeBodyReader> }): Surface {
  const admin = (routeId: string): RequestHandler[] => [deps.guards.authenticate(), deps.guards.requireRole('admin'), deps.guards.rateLimit(routeId)];
  const validate = compileFieldValidator({ fields: createFields });
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const errorRefs = (...codes: string[]) =>
    Object.fromEntries(codes.map((c) => [c, { $ref: `#/components/responses/${{ 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 429: 'TooManyRequests' }[c]}` }]));

  return {
    name: 'keys',
    mount(app) {
      app.get('/api/keys', ...admin('GET /keys'), function listKeys(_req, res) {
        res.json({ keys: deps.keys.list().map(keyView) });
      });
      app.post('/api/keys', ...admin('POST /keys'), deps.bodyReader({ method: 'POST' }), function createKey(req, res) {
        const source = req.is('application/json') ? 'json' : 'form';
        const fields = validate(req.fields ?? {}, source) as { name: string; role?: string; expires?: string; per_minute?: number; per_hour?: number };
        const created = deps.keys.create(checkedNewKey({ ...fields, perMinute: fields.per_minute, perHour: fields.per_hour }));
        res.status(201).json({ ...keyView(created.record), key: created.key });
      });
      app.delete('/api/keys/:id', ...admin('DELETE /keys/{id}'), function revokeKey(req, res) {
        const id = String(req.params.id);
        if (!deps.keys.revoke(id)) throw errors.notFound(`API key '${id.slice(0, 40)}'`);
        res.status(204).end();
      });
    },
    openapi: {
      schemas: { ApiKey: keySchema },
      paths: {
        '/api/keys': {
          get: {
            tags: [TAGS.keys.name],
            security: KEY_SECURITY,
            summary: 'List API keys (never the keys themselves)',
            operationId: 'listKeys',
            responses: { '200': { description: 'Every key with its role, dates and limits.', content: json({ type: 'object', properties: { keys: { type: 'array', items: { $ref: '#/components/schemas/ApiKey' } } } }) }, ...errorRefs('401', '403', '429') },
          },
          post: {
            tags: [TAGS.keys.name],
            security: KEY_SECURITY,
            summary: 'Create an API key; the key is in this answer only',
            operationId: 'createKey',
            requestBody: { required: true, content: { 'application/json': { schema: createFields, example: { name: 'my-laptop', role: 'user', expires: '30d' } } } },
            responses: {
              '201': { description: 'The new key. Store it now: only its hash is kept.', content: json({ allOf: [{ $ref: '#/components/schemas/ApiKey' }, { type: 'object', required: ['key'], properties: { key: { type: 'string' } } }] }) },
              ...errorRefs('400', '401', '403', '429'),
            },
          },
        },
        '/api/keys/{id}': {
          delete: {
            tags: [TAGS.keys.name],
            security: KEY_SECURITY,
            summary: 'Revoke an API key',
            operationId: 'revokeKey',
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: { '204': { description: 'Revoked.' }, '404': { description: 'No key has this id.', content: json({ $ref: '#/components/schemas/Error' }) }, ...errorRefs('401', '403', '429') },
          },
        },
      },
    },
  };
}
