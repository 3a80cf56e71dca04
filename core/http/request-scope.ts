// One awilix scope per request, made when something first asks for `req.scope` and
// disposed when the response is finished or aborted. Most requests (health probes, every
// route that takes its services at boot) never ask, so they pay nothing for it.
import type { AwilixContainer } from 'awilix';
import { asValue } from 'awilix';
import type { RequestHandler } from 'express';
import './request-types.ts';

export function makeRequestScope(container: AwilixContainer): RequestHandler {
  return function requestScope(req, res, next) {
    let scope: AwilixContainer | undefined;
    Object.defineProperty(req, 'scope', {
      configurable: true,
      enumerable: false,
      get() {
        if (!scope) {
          scope = container.createScope();
          scope.register({ requestId: asValue(req.id) });
          const made = scope;
          res.once('close', () => void made.dispose());
        }
        return scope;
      },
    });
    next();
  };
}
