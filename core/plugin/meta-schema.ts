// The shape every plugin declaration must have, checked with ajv when the hub boots.
// Functions (handlers, hooks) are checked in validate-plugin.ts: JSON Schema cannot.
import { ELEMENT_TYPES, TASKS, UPLOAD_CLASSES } from './types.ts';

const name = { type: 'string', pattern: '^[a-z][a-z0-9_-]*$' } as const;
const dim = { oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*([*/+-]([A-Za-z_][A-Za-z0-9_]*|[0-9]+))*$' }] } as const;

const tensor = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type', 'dims'],
  properties: {
    name: { type: 'string', minLength: 1 },
    type: { enum: ELEMENT_TYPES },
    dims: { type: 'array', items: dim },
    vocab: { type: 'integer', minimum: 1 },
    description: { type: 'string' },
  },
} as const;

const graph = {
  type: 'object',
  additionalProperties: false,
  required: ['file', 'inputs', 'outputs'],
  properties: {
    file: { type: 'string', pattern: '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$' },
    inputs: { type: 'array', minItems: 1, items: tensor },
    outputs: { type: 'array', minItems: 1, items: tensor },
    device: { enum: ['gpu', 'cpu'] },
    memoryMb: { type: 'number', minimum: 0 },
    description: { type: 'string' },
    batch: { type: 'object', additionalProperties: false, required: ['axis'], properties: { axis: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } } },
  },
} as const;

const upload = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'class'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
    class: { enum: UPLOAD_CLASSES },
    required: { type: 'boolean' },
    description: { type: 'string' },
    accept: { enum: ['audio', 'npy', 'audio-or-npy'] },
    aliases: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' } },
  },
} as const;

const route = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'path', 'summary', 'fields', 'produces', 'handler'],
  properties: {
    method: { enum: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] },
    path: { type: 'string', pattern: '^(/[a-z0-9][a-z0-9_.-]*|/\\{[a-z_]+\\})+$' },
    summary: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    fields: { type: 'object', required: ['type', 'properties'], properties: { type: { const: 'object' } } },
    uploads: { type: 'array', items: upload },
    produces: { enum: ['audio', 'json'] },
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      properties: { perMinute: { type: 'integer', minimum: 1 }, perHour: { type: 'integer', minimum: 1 } },
    },
    idempotent: { type: 'boolean' },
    example: { type: 'object' },
    handler: {},
  },
} as const;

export const pluginMetaSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'title', 'task', 'summary', 'license', 'sampleRate', 'routes'],
  properties: {
    name,
    title: { type: 'string', minLength: 1 },
    task: { enum: TASKS },
    summary: { type: 'string', minLength: 1 },
    license: { type: 'string', minLength: 1 },
    sampleRate: { type: 'integer', minimum: 1000, maximum: 384000 },
    graphs: { type: 'object', propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$' }, additionalProperties: graph },
    routes: { type: 'array', items: route },
    capabilities: { type: 'object' },
    weightFree: { type: 'boolean' },
    load: {},
    unload: {},
  },
} as const;

export const registrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['plugins'],
  properties: {
    plugins: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'source', 'enabled'],
        properties: {
          name,
          source: { type: 'string', minLength: 1 },
          enabled: { type: 'boolean' },
          weights: {
            type: 'object',
            additionalProperties: false,
            required: ['files'],
            properties: {
              baseUrl: { type: 'string' },
              variant: { type: 'string' },
              files: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['path'],
                  properties: {
                    path: { type: 'string', pattern: '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$' },
                    url: { type: 'string' },
                    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
                    size: { type: 'integer', minimum: 0 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
