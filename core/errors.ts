// One catalogue of every error the hub sends. Handlers throw `errors.x(...)`; one
// middleware turns any HubError into `{"detail": ...}` with its status.

export class HubError extends Error {
  readonly code: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The field a validation error is about (OpenAI-style surfaces report it as `param`). */
  readonly param: string | undefined;

  constructor(code: string, status: number, message: string, options: { headers?: Record<string, string>; param?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'HubError';
    this.code = code;
    this.status = status;
    this.headers = options.headers ?? {};
    this.param = options.param;
  }
}

const make =
  <A extends unknown[]>(code: string, status: number, message: (...args: A) => string, extra?: (...args: A) => { headers?: Record<string, string>; param?: string }) =>
  (...args: A) =>
    new HubError(code, status, message(...args), extra?.(...args));

export const errors = {
  badRequest: make('bad_request', 400, (detail: string) => detail),
  invalidField: make('invalid_field', 400, (field: string, rule: string) => `${field}: ${rule}`, (field) => ({ param: field })),
  malformedJson: make('malformed_json', 400, (reason: string) => `request body is not valid JSON: ${reason}`),
  malformedMultipart: make('malformed_multipart', 400, (reason: string) => `multipart body could not be read: ${reason}`),
  missingUpload: make('missing_upload', 400, (field: string) => `${field}: a file upload is required`, (field) => ({ param: field })),
  badAudio: make('bad_audio', 400, (field: string, reason: string) => `${field}: ${reason}`, (field) => ({ param: field })),
  unauthenticated: make('unauthenticated', 401, (detail: string) => detail, () => ({ headers: { 'WWW-Authenticate': 'Api-Key' } })),
  forbidden: make('forbidden', 403, (detail: string) => detail),
  notFound: make('not_found', 404, (what: string) => `${what} not found`),
  methodNotAllowed: make('method_not_allowed', 405, (method: string, path: string, allowed: readonly string[]) => `method ${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`, (_m, _p, allowed) => ({ headers: { Allow: allowed.join(', ') } })),
  conflict: make('conflict', 409, (detail: string) => detail),
  payloadTooLarge: make('payload_too_large', 413, (detail: string) => detail),
  unsupportedMediaType: make('unsupported_media_type', 415, (detail: string) => detail),
  unprocessable: make('unprocessable', 422, (detail: string) => detail),
  /** A body that fails its schema where the surface follows pydantic servers (seed 004), which answer 422. */
  invalidValue: make('invalid_value', 422, (field: string, rule: string) => `${field}: ${rule}`, (field) => ({ param: field })),
  upgradeRequired: make('upgrade_required', 426, (detail: string) => detail, () => ({ headers: { Upgrade: 'websocket' } })),
  rateLimited: make('rate_limited', 429, (detail: string, retryAfterSeconds: number) => `${detail}; retry after ${retryAfterSeconds} s`, (_d, retryAfterSeconds) => ({ headers: { 'Retry-After': String(retryAfterSeconds) } })),
  weightsMissing: make('weights_missing', 503, (plugin: string, files: readonly string[], command: string) => `plugin '${plugin}' has no weights: missing ${files.join(', ')}; install them with: ${command}`),
  weightsChecksum: make('weights_checksum_mismatch', 503, (plugin: string, file: string, expected: string, found: string, command: string) => `plugin '${plugin}': ${file} has sha256 ${found}, the registry says ${expected}; reinstall with: ${command}`),
  graphCorrupt: make('graph_corrupt', 503, (plugin: string, graph: string, file: string, reason: string, command: string) => `plugin '${plugin}' graph '${graph}': ${file} is not a loadable ONNX model (${reason}); reinstall with: ${command}`),
  contractMismatch: make('contract_mismatch', 503, (plugin: string, graph: string, problems: readonly string[]) => `plugin '${plugin}' graph '${graph}' does not match its contract: ${problems.join('; ')}`),
  graphFeedInvalid: make('graph_feed_invalid', 500, (plugin: string, graph: string, problems: readonly string[]) => `plugin '${plugin}' graph '${graph}' was fed wrong tensors: ${problems.join('; ')}`),
  graphFailed: make('graph_failed', 500, (plugin: string, graph: string, reason: string) => `plugin '${plugin}' graph '${graph}' failed: ${reason}`),
  residentStale: make('resident_stale', 500, (plugin: string, graph: string, reason: string) => `plugin '${plugin}' graph '${graph}': ${reason}`),
  residentForeign: make('resident_foreign', 500, (plugin: string, graph: string, reason: string) => `plugin '${plugin}' graph '${graph}': ${reason}`),
  workerLost: make('worker_lost', 503, (plugin: string, graph: string, reason: string) => `plugin '${plugin}' graph '${graph}': its ONNX worker stopped (${reason}); it was restarted, retry the request`, () => ({ headers: { 'Retry-After': '1' } })),
  memoryBudget: make('insufficient_memory', 507, (detail: string) => detail),
  overloaded: make('overloaded', 503, (what: string, retryAfterSeconds: number) => `${what} is busy; retry after ${retryAfterSeconds} s`, (_w, retryAfterSeconds) => ({ headers: { 'Retry-After': String(retryAfterSeconds) } })),
  unavailable: make('unavailable', 503, (detail: string) => detail),
  downloadFailed: make('download_failed', 502, (detail: string) => detail),
  storageBudget: make('storage_budget_exceeded', 507, (detail: string) => detail),
  interrupted: make('interrupted', 503, (detail: string) => detail),
  internal: make('internal', 500, (requestId: string) => `internal error (request id ${requestId})`),
} as const;

export type ErrorCode = ReturnType<(typeof errors)[keyof typeof errors]>['code'];

export function isHubError(error: unknown): error is HubError {
  return error instanceof HubError;
}
