// The studio's error shapes, as the seed gives them: validation failures are 422 with a
// list of {loc, msg, type}; every other error is `{"detail": "..."}` with its status.
// Core errors that are validation failures in the seed's terms are answered as such, and
// audio that does not decode is 415 (the issue's rule for samples).
import type { ErrorRequestHandler } from 'express';
import { errors, type HubError } from '../../errors.ts';
import { toHubError } from '../../http/error-handler.ts';
import type { Logger } from '../../log/logger.ts';
import { StudioValidationError } from './validation.ts';

function asSeedError(error: HubError): HubError {
  switch (error.code) {
    case 'malformed_json':
      return new StudioValidationError([{ loc: ['body'], msg: `JSON decode error: ${error.message}`, type: 'json_invalid' }]);
    case 'missing_upload':
      return new StudioValidationError([{ loc: ['body', error.param ?? 'file'], msg: 'Field required', type: 'missing' }]);
    case 'bad_audio':
      // An upload that claims an audio format but does not read as one: not audio this API takes.
      return errors.unsupportedMediaType(error.message);
    default:
      return error;
  }
}

export function makeStudioErrorHandler(deps: { logger: Logger }): ErrorRequestHandler {
  return function studioErrorHandler(error, req, res, _next) {
    const hub = toHubError(error);
    if (!hub) deps.logger.error('unhandled error', { requestId: req.id, method: req.method, path: req.path, error: (error as Error)?.stack ?? String(error) });
    const known = hub ? asSeedError(hub) : errors.internal(req.id ?? 'unknown');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(known.headers)) res.setHeader(name, value);
    const detail = known instanceof StudioValidationError ? known.issues.map((i) => ({ loc: i.loc, msg: i.msg, type: i.type })) : known.message;
    res.status(known.status).json({ detail });
  };
}
