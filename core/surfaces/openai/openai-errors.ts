// Errors on the OpenAI-compatible surface keep the hub's status codes but take OpenAI's
// shape, `{"error": {"message", "type", "param", "code"}}`, which the official SDKs read
// into their typed exceptions (BadRequestError, AuthenticationError, ...).
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errors, type HubError } from '../../errors.ts';
import { toHubError } from '../../http/error-handler.ts';
import type { Logger } from '../../log/logger.ts';

function typeFor(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 503) return 'service_unavailable_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export function openAiErrorBody(error: HubError) {
  return { error: { message: error.message, type: typeFor(error.status), param: error.param ?? null, code: error.code } };
}

export function makeOpenAiErrorHandler(deps: { logger: Logger }): ErrorRequestHandler {
  return function openAiError(error, req, res, _next) {
    const known = toHubError(error) ?? errors.internal(req.id ?? 'unknown');
    if (!toHubError(error)) {
      deps.logger.error('unhandled error', { requestId: req.id, method: req.method, path: req.path, error: (error as Error)?.stack ?? String(error) });
    }
    if (res.headersSent) {
      // A stream already under way cannot change its status: cut it, so the client sees a broken body, not a short one.
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(known.headers)) res.setHeader(name, value);
    res.status(known.status).json(openAiErrorBody(known));
  };
}

/** Unknown paths under the surface: 404, or 405 with Allow where the path exists with other methods. */
export function makeOpenAiFallback(routes: readonly { method: string; pattern: RegExp }[]): RequestHandler {
  return function openAiFallback(req, _res, next) {
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(req.path)).map((r) => r.method))];
    if (allowed.length && !allowed.includes(req.method)) return next(errors.methodNotAllowed(req.method, req.baseUrl + req.path, allowed));
    next(errors.notFound(`route ${req.method} ${req.baseUrl}${req.path}`));
  };
}
