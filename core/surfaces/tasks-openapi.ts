// OpenAPI description of the task API and the progress channels. Plugin routes refer to
// `TaskAccepted` for their 202 (core/openapi/build-document.ts).
import type { OpenApiFragment } from '../http/surface.ts';
import { TASK_STATUSES } from '../jobs/types.ts';
import { TAGS } from '../openapi/tags.ts';
import { KEY_SECURITY } from '../openapi/components.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = (name: string) => ({ $ref: `#/components/responses/${name}` });
const security = KEY_SECURITY;
const taskId = { name: 'task_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const queryKey = {
  name: 'api_key',
  in: 'query',
  required: false,
  description: 'The API key, for browsers whose EventSource / WebSocket cannot send headers. Prefer the header elsewhere: URLs end up in logs.',
  schema: { type: 'string' },
};
const common = { '401': error('Unauthorized'), '404': { description: 'No such task, or it belongs to another key.', content: json(ref('Error')) } };
const conflict = { description: 'The task is not in a state that allows this.', content: json(ref('Error')) };

const urls = {
  status_url: { type: 'string', description: 'GET: status (this task API)' },
  progress_url: { type: 'string', description: 'WebSocket: progress events (relative; use ws:// or wss:// on the same host)' },
  events_url: { type: 'string', description: 'GET: the same events as Server-Sent Events' },
  result_url: { type: 'string', description: 'GET: the result once done, as the synchronous call would have answered' },
};

const taskError = {
  type: 'object',
  required: ['status', 'code', 'detail'],
  properties: {
    status: { type: 'integer', description: 'HTTP status the synchronous call would have answered' },
    code: { type: 'string' },
    detail: { type: 'string' },
  },
};

const schemas = {
  TaskAccepted: {
    type: 'object',
    required: ['task_id', 'status', 'status_url', 'progress_url', 'events_url', 'result_url'],
    properties: { task_id: { type: 'string', format: 'uuid' }, status: { type: 'string', enum: TASK_STATUSES }, ...urls },
  },
  Task: {
    type: 'object',
    required: ['task_id', 'status', 'progress', 'stage', 'message', 'plugin', 'route', 'created_at'],
    properties: {
      task_id: { type: 'string', format: 'uuid' },
      status: { type: 'string', enum: TASK_STATUSES },
      progress: { type: 'number', minimum: 0, maximum: 1 },
      stage: { type: 'string', description: 'queued, running, a stage the model names (e.g. "decoder"), done, error or cancelled' },
      message: { type: 'string' },
      plugin: { type: 'string' },
      route: { type: 'string', examples: ['POST /api/tts/espeak'] },
      attempts: { type: 'integer', description: 'Runs started (an idempotent task re-run after a restart counts twice)' },
      created_at: { type: 'string', format: 'date-time' },
      started_at: { type: ['string', 'null'], format: 'date-time' },
      finished_at: { type: ['string', 'null'], format: 'date-time' },
      expires_at: { type: ['string', 'null'], format: 'date-time', description: 'When the task and its result are deleted' },
      error: { oneOf: [taskError, { type: 'null' }] },
      result: {
        oneOf: [{ type: 'object', properties: { content_type: { type: 'string' }, bytes: { type: 'integer' } } }, { type: 'null' }],
      },
      ...urls,
    },
  },
  ProgressEvent: {
    type: 'object',
    description: 'One message on the WebSocket or SSE channel. The first is the current state; the last has status done (with result_url), error (with error) or cancelled.',
    required: ['task_id', 'status', 'progress', 'stage', 'message'],
    properties: {
      task_id: { type: 'string', format: 'uuid' },
      status: { type: 'string', enum: TASK_STATUSES },
      progress: { type: 'number', minimum: 0, maximum: 1 },
      stage: { type: 'string' },
      message: { type: 'string' },
      result_url: { type: 'string' },
      error: taskError,
    },
  },
};

export const tasksOpenApi: OpenApiFragment = {
  schemas,
  paths: {
    '/api/tasks': {
      get: {
        tags: [TAGS.tasks.name],
        summary: 'List your tasks, newest first (admin: everyone’s)',
        operationId: 'listTasks',
        security,
        parameters: [
          { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: TASK_STATUSES } },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
          { name: 'cursor', in: 'query', required: false, description: '`next_cursor` of the previous page', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'One page of tasks.',
            content: json({ type: 'object', required: ['tasks', 'next_cursor'], properties: { tasks: { type: 'array', items: ref('Task') }, next_cursor: { type: ['string', 'null'] } } }),
          },
          '400': error('BadRequest'),
          '401': error('Unauthorized'),
        },
      },
    },
    '/api/tasks/{task_id}': {
      get: { tags: [TAGS.tasks.name], summary: 'Status of a task', operationId: 'getTask', security, parameters: [taskId], responses: { '200': { description: 'The task.', content: json(ref('Task')) }, ...common } },
      delete: {
        tags: [TAGS.tasks.name],
        summary: 'Delete a finished task and its result',
        operationId: 'deleteTask',
        security,
        parameters: [taskId],
        responses: { '204': { description: 'Deleted.' }, ...common, '409': conflict },
      },
    },
    '/api/tasks/{task_id}/result': {
      get: {
        tags: [TAGS.tasks.name],
        summary: 'Result of a done task: the same body, content type and headers as the synchronous call',
        description: 'A failed task answers the status and detail the synchronous call would have answered. Queued, running and cancelled tasks answer 409.',
        operationId: 'getTaskResult',
        security,
        parameters: [taskId],
        responses: {
          '200': { description: 'Audio in the requested format, or JSON.', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } }, 'application/json': { schema: { type: 'object' } } } },
          ...common,
          '409': conflict,
        },
      },
    },
    '/api/tasks/{task_id}/events': {
      get: {
        tags: [TAGS.tasks.name],
        summary: 'Progress as Server-Sent Events',
        description: 'Each event is `data: <ProgressEvent JSON>`. The first is the current state; the stream ends after the final one.',
        operationId: 'taskEvents',
        security,
        parameters: [taskId, queryKey],
        responses: { '200': { description: 'An event stream of ProgressEvent.', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...common },
      },
    },
    '/api/tasks/{task_id}/cancel': {
      post: {
        tags: [TAGS.tasks.name],
        summary: 'Cancel a task',
        description: 'A queued task is dropped at once (200). A running one is aborted through its handler’s signal and finishes `cancelled` at its next step (202).',
        operationId: 'cancelTask',
        security,
        parameters: [taskId],
        responses: { '200': { description: 'Cancelled.', content: json(ref('Task')) }, '202': { description: 'Cancellation requested.', content: json(ref('Task')) }, ...common, '409': conflict },
      },
    },
    '/ws/progress/{task_id}': {
      get: {
        tags: [TAGS.tasks.name],
        summary: 'Progress over a WebSocket',
        description:
          'Upgrade to a WebSocket (`ws://host/ws/progress/{task_id}`). Text frames carry ProgressEvent JSON: the current state first, then each update; the server closes with 1000 after the final one. ' +
          'Authenticate with the X-API-Key header or, from browsers, `?api_key=`. Refusals are plain HTTP answers before any upgrade.',
        operationId: 'taskProgressSocket',
        security,
        parameters: [taskId, queryKey],
        responses: { '101': { description: 'Switching protocols: ProgressEvent messages follow.' }, ...common, '426': { description: 'Not a WebSocket handshake.', content: json(ref('Error')) } },
      },
    },
  },
};
