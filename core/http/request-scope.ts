// One awilix scope per request, made when something first asks for `req.scope` and
// disposed when the response is finished or aborted. Most requests (health probes, every
// route that takes its services at boot) never ask, so they pay nothing for it.
import type { AwilixContainer } from 'awilix';
import { asValue } from 'awilix';
import type { Request, RequestHandler } from 'express';
import './request-types.ts';
import { accessorOnPrototype, recordOf } from './request-slots.ts';
import { whenClosed } from './response-closed.ts';

export function makeRequestScope(container: AwilixContainer): RequestHandler {
  const scopeAccessor = {
    get(this: object) {
      const record = recordOf(this);
      let scope = record.scope as AwilixContainer | undefined;
      if (!scope) {
        const req = this as Request;
        scope = container.createScope();
        scope.register({ requestId: asValue(req.id) });
        record.scope = scope;
        const made = scope;
        if (req.res) whenClosed(req.res, () => void made.dispose());
      }
      return scope;
    },
  };
  return function requestScope(req, _res, next) {
    accessorOnPrototype(req, 'scope', scopeAccessor);
    next();
  };
}
