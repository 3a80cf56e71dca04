// OpenAPI description of /api/models (model management, admin role).
import { WEIGHT_STATES } from '../onnx/providers.ts';
import type { OpenApiFragment } from '../http/surface.ts';
import { TAGS } from '../openapi/tags.ts';
import { KEY_SECURITY } from '../openapi/components.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = (name: string) => ({ $ref: `#/components/responses/${name}` });
const security = KEY_SECURITY;
const tags = [TAGS.models.name];
const guarded = { '401': error('Unauthorized'), '403': error('Forbidden') };
const notFound = { '404': { description: 'No plugin of that name.', content: json(ref('Error')) } };
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });

const DOWNLOAD_STATUSES = ['idle', 'downloading', 'verifying', 'complete', 'error'];

/** Request bodies: documented here and validated from the same objects (core/surfaces/models.ts). */
export const MODEL_REQUEST = {
  type: 'object',
  required: ['model_name'],
  additionalProperties: false,
  properties: { model_name: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

export const MODEL_DOWNLOAD_REQUEST = {
  type: 'object',
  required: ['model_name'],
  additionalProperties: false,
  properties: {
    model_name: { type: 'string', minLength: 1, maxLength: 100 },
    source: { type: 'string', minLength: 1, maxLength: 2048, description: 'Fetch from this base URL (http/https, through the safe fetcher) or a folder under the import directory (config downloads.importDir) instead of the registry URLs' },
  },
} as const;

const schemas = {
  ModelDownloadProgress: {
    type: 'object',
    required: ['model_name', 'status', 'bytes', 'total', 'percent', 'filename', 'error', 'timestamp'],
    properties: {
      model_name: { type: 'string' },
      status: { type: 'string', enum: DOWNLOAD_STATUSES },
      bytes: { type: 'integer', description: 'Bytes fetched so far, over all files' },
      total: { type: 'integer', description: 'Bytes to fetch (registry sizes, or Content-Length once seen); 0 while unknown' },
      percent: { type: 'number', minimum: 0, maximum: 100 },
      task_id: nullable('string', { description: 'The /api/tasks task that runs the download' }),
      rate: nullable('integer', { description: 'Bytes per second over this run; null until measurable' }),
      eta_seconds: nullable('integer', { description: 'Seconds left at the current rate; null while unknown' }),
      filename: nullable('string', { description: 'File being fetched' }),
      error: nullable('string'),
      timestamp: { type: 'string', format: 'date-time' },
    },
  },
  ModelGraphStatus: {
    type: 'object',
    required: ['name', 'file', 'loaded', 'providers', 'running', 'queued', 'runs'],
    properties: {
      name: { type: 'string' },
      file: { type: 'string', description: 'File inside the plugin weight folder' },
      loaded: { type: 'boolean' },
      providers: { type: 'array', items: { type: 'string' }, description: 'Execution provider each loaded copy got (cpu, cuda, tensorrt)' },
      memory_mb: nullable('number', { description: 'Declared by the graph contract, when known' }),
      running: { type: 'integer' },
      queued: { type: 'integer' },
      runs: { type: 'integer' },
      mean_run_ms: nullable('number'),
      resident_bytes: { type: 'integer', description: 'Bytes the loaded copies count against the session memory budget (onnx.memoryBudgetMb)' },
      last_eviction: {
        oneOf: [{ type: 'null' }, { type: 'object', required: ['at', 'reason'], properties: { at: { type: 'string', format: 'date-time' }, reason: { type: 'string' } } }],
        description: 'When the sessions were last unloaded to make room for another load, and why',
      },
    },
  },
  ModelStatus: {
    type: 'object',
    required: ['model_name', 'display_name', 'task', 'state', 'downloaded', 'size_mb', 'loaded', 'device', 'memory_mb', 'graphs', 'download'],
    properties: {
      model_name: { type: 'string' },
      display_name: { type: 'string' },
      task: { type: 'string' },
      state: { type: 'string', enum: [...WEIGHT_STATES], description: 'smoke graphs produce meaningless output; unverified files have no pinned sha256 in the registry; missing routes answer 503' },
      downloaded: { type: 'boolean', description: 'Real weights present (or none needed)' },
      size_mb: { type: 'number', description: 'Size of the weight folder on disk' },
      loaded: { type: 'boolean', description: 'Every graph has a session' },
      device: nullable('string', { description: 'Execution providers of the loaded graphs' }),
      memory_mb: nullable('number', { description: 'Sum of the memory the graph contracts declare' }),
      resident_bytes: { type: 'integer', description: 'Bytes the loaded sessions count against the session memory budget' },
      problem: nullable('string', { description: 'Why the model cannot run (missing files, checksum, not ONNX, contract mismatch)' }),
      install_command: nullable('string'),
      graphs: { type: 'array', items: ref('ModelGraphStatus') },
      download: ref('ModelDownloadProgress'),
    },
  },
  ModelStatusList: { type: 'object', required: ['models'], properties: { models: { type: 'array', items: ref('ModelStatus') } } },
  ModelRequest: MODEL_REQUEST,
  ModelDownloadRequest: MODEL_DOWNLOAD_REQUEST,
};

const statusGet = (operationId: string, summary: string) => ({
  tags,
  summary,
  operationId,
  security,
  responses: { '200': { description: 'Every plugin with its weights and sessions.', content: json(ref('ModelStatusList')) }, ...guarded },
});

const withMessage = (schema: string) => ({ allOf: [ref(schema), { type: 'object', properties: { message: { type: 'string' } } }] });

/** `exampleModel` is a registered plugin's name, so Swagger's first Execute names a model that exists. */
export function modelsOpenApi(exampleModel: string): OpenApiFragment {
  const modelBody = (schema: string) => ({ 'application/json': { schema: ref(schema), example: { model_name: exampleModel } } });
  return {
    schemas,
    paths: {
      '/api/models': { get: statusGet('listModels', 'Status of every model (same as /api/models/status)') },
      '/api/models/status': { get: statusGet('modelStatus', 'Status of every model') },
      '/api/models/load': {
        post: {
          tags,
          summary: 'Load a model now: check its weights and contracts and open its sessions',
          operationId: 'loadModel',
          security,
          requestBody: { required: true, content: modelBody('ModelRequest') },
          responses: {
            '200': { description: 'Loaded.', content: json(withMessage('ModelStatus')) },
            '400': error('BadRequest'),
            ...guarded,
            ...notFound,
            '503': error('Unavailable'),
          },
        },
      },
      '/api/models/unload': {
        post: {
          tags,
          summary: 'Unload a model to free memory (the next call loads it again)',
          operationId: 'unloadModel',
          security,
          requestBody: { required: true, content: modelBody('ModelRequest') },
          responses: { '200': { description: 'Unloaded.', content: json(withMessage('ModelStatus')) }, '400': error('BadRequest'), ...guarded, ...notFound },
        },
      },
      '/api/models/download': {
        post: {
          tags,
          summary: 'Download a model’s weights as a task (safe fetcher, resumable, sha256-checked)',
          description:
            'Queues a task (`plugin: hub:weights`): follow it at /ws/progress/{task_id} or /api/tasks/{task_id}/events (progress with bytes, total, rate and ETA in `details`), cancel it at /api/tasks/{task_id}/cancel. `source` is an http(s) base URL (its host must not resolve to a loopback, private, link-local, multicast or metadata address unless `fetch.allow` says so) or a folder under the import directory.',
          operationId: 'downloadModel',
          security,
          requestBody: { required: true, content: modelBody('ModelDownloadRequest') },
          responses: {
            '202': {
              description: 'Queued (or already queued or running): the progress so far, the task id and its URLs.',
              headers: { Location: { schema: { type: 'string' }, description: 'The task status, /api/tasks/{task_id}' } },
              content: json(withMessage('ModelDownloadProgress')),
            },
            '400': error('BadRequest'),
            ...guarded,
            ...notFound,
            '409': { description: 'The model is weight-free.', content: json(ref('Error')) },
          },
        },
      },
      '/api/models/progress/{model_name}': {
        get: {
          tags,
          summary: 'Download progress as Server-Sent Events',
          description:
            'Each event is a `data:` line with a ModelDownloadProgress. The current state comes first; the stream closes after `complete` or `error`, and stays open while idle. A `: heartbeat` comment keeps proxies from closing it.',
          operationId: 'modelProgress',
          security,
          parameters: [
            { name: 'model_name', in: 'path', required: true, schema: { type: 'string' }, example: exampleModel },
            { name: 'api_key', in: 'query', required: false, description: 'The API key, for browsers whose EventSource cannot send headers.', schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'An event stream of ModelDownloadProgress.', content: { 'text/event-stream': { schema: { type: 'string', description: '`data:` lines, each a ModelDownloadProgress as JSON' } } } },
            ...guarded,
            ...notFound,
          },
        },
      },
    },
  };
}
