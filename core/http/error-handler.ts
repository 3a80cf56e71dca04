// Turns anything thrown into `{"detail": ...}`. Catalogue errors keep their status; all
// else is logged with the request id and answered 500 without internals.
import type { ErrorRequestHandler } from 'express';
import { errors, isHubError, type HubError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import './request-types.ts';

/** Errors thrown by body-parser and friends carry a status and a type. */
function fromParserError(error: { type?: string; status?: number; message?: string }): HubError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return errors.malformedJson(error.message ?? 'parse error');
    case 'entity.too.large':
      return errors.payloadTooLarge(`request body is larger than the ${(error as { limit?: number }).limit ?? ''} byte limit`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return errors.unsupportedMediaType(error.message ?? 'unsupported encoding');
    case 'request.aborted':
      return errors.badRequest('request aborted by the client');
    default:
      return undefined;
  }
}

export function toHubError(error: unknown): HubError | undefined {
  if (isHubError(error)) return error;
  // The router's own decodeURIComponent of a path parameter (rejectMalformedPath catches these first).
  if (error instanceof URIError && (error as URIError & { status?: number }).status === 400) return errors.badRequest(`malformed URL: ${error.message}`);
  if (typeof error === 'object' && error !== null) return fromParserError(error as { type?: string });
  return undefined;
}

export function makeErrorHandler(deps: { logger: Logger }): ErrorRequestHandler {
  return function errorHandler(error, req, res, _next) {
    const known = toHubError(error) ?? errors.internal(req.id ?? 'unknown');
    if (!isHubError(error) && known.status === 500) {
      deps.logger.error('unhandled error', { requestId: req.id, method: req.method, path: req.path, error: (error as Error)?.stack ?? String(error) });
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(known.headers)) res.setHeader(name, value);
    res.status(known.status).json({ detail: known.message });
  };
}
