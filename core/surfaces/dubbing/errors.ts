// Errors on the dubbing surface take seed 001's shape, `{"code", "message"}`, with the
// seed's `const` codes where it names one (not_found, voice_not_found, dub_is_not_new,
// dub_is_not_in_preprocessed_state, voice_is_not_new) and the status it declares. The
// seed declares 400 only for those conditions, so a body that breaks the request schema is
// 422 `invalid_request` (a malformed URL is 400 `bad_request`, as everywhere in the hub); a missing or wrong key is 401 `unauthorized`, too few credits 403
// `insufficient_credits` (the seed's 403 response). Other hub errors keep their code.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errors, HubError } from '../../errors.ts';
import { toHubError } from '../../http/error-handler.ts';
import type { Logger } from '../../log/logger.ts';

export const dubbingErrors = {
  dubNotFound: () => new HubError('not_found', 404, 'Dub not found'),
  voiceNotFound: () => new HubError('not_found', 404, 'Voice not found'),
  dubVoiceNotFound: (id: string) => new HubError('voice_not_found', 400, `Voice '${id}' not found: use one of your finished voices or a public one (GET /v1/voices)`),
  dubNotNew: (status: string) => new HubError('dub_is_not_new', 400, `Dub is not new (it is ${status})`),
  dubNotPreprocessed: (status: string) => new HubError('dub_is_not_in_preprocessed_state', 400, `Dub must be in preprocessed state before generating (it is ${status})`),
  voiceNotNew: (status: string) => new HubError('voice_is_not_new', 400, `Voice is not new (it is ${status})`),
  insufficientCredits: (needed: number, balance: number) => new HubError('insufficient_credits', 403, `Insufficient credits: this needs ${needed}, the key has ${balance}`),
  uploadMissing: (what: string) => new HubError('upload_missing', 409, what),
  invalid: (message: string) => new HubError('invalid_request', 422, message),
};

/** The hub's generic client errors, in this surface's vocabulary. */
function translate(error: HubError): HubError {
  if (error.code === 'unauthenticated') return new HubError('unauthorized', 401, error.message, { headers: { ...error.headers } });
  // A body that is not the JSON object the schema wants; a malformed URL stays 400 `bad_request`.
  if (error.status === 400 && ['malformed_json', 'invalid_field', 'malformed_multipart'].includes(error.code)) return new HubError('invalid_request', 422, error.message);
  return error;
}

export function makeDubbingErrorHandler(deps: { logger: Logger }): ErrorRequestHandler {
  return function dubbingError(error, req, res, _next) {
    const hub = toHubError(error);
    if (!hub) deps.logger.error('unhandled error', { requestId: req.id, method: req.method, path: req.path, error: (error as Error)?.stack ?? String(error) });
    const known = translate(hub ?? errors.internal(req.id ?? 'unknown'));
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(known.headers)) res.setHeader(name, value);
    res.status(known.status).json({ code: known.code, message: known.message });
  };
}

export const dubbingFallback: RequestHandler = (req, _res, next) => next(new HubError('not_found', 404, `route ${req.method} ${req.baseUrl}${req.path} not found`));
