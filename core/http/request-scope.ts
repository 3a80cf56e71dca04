// One awilix scope per request, disposed when the response is finished or aborted.
import type { AwilixContainer } from 'awilix';
import { asValue } from 'awilix';
import type { RequestHandler } from 'express';
import './request-types.ts';

export function makeRequestScope(container: AwilixContainer): RequestHandler {
  return function requestScope(req, res, next) {
    const scope = container.createScope();
    scope.register({ requestId: asValue(req.id) });
    req.scope = scope;
    res.once('close', () => void scope.dispose());
    next();
  };
}
