// Middleware that runs before every route, joined into one express layer. Express 5 spends a
// few microseconds on every layer a request passes (path matching, the promise check, its
// own `next`); the common steps as one layer take most of that off every request.
import type { NextFunction, Request, RequestHandler, Response } from 'express';

interface Run {
  readonly steps: readonly RequestHandler[];
  readonly req: Request;
  readonly res: Response;
  readonly done: NextFunction;
  index: number;
  next: NextFunction;
}

/**
 * One handler running `handlers` in order, each continuing to the next through its `next`.
 * An error passed to `next`, thrown, or rejected by a returned promise goes to express's
 * error handling; a handler that answers without calling `next` ends the chain there.
 */
export function composeMiddleware(handlers: readonly RequestHandler[]): RequestHandler {
  const steps = [...handlers];
  return function commonChain(req: Request, res: Response, done: NextFunction) {
    const run: Run = { steps, req, res, done, index: 0, next: done };
    // A bound function, not a closure: tsx names every closure bound to a variable with a
    // defineProperty call, which cost more per request than the layers saved.
    run.next = advance.bind(undefined, run) as NextFunction;
    run.next();
  };
}

function advance(run: Run, error?: unknown): void {
  if (error) return run.done(error);
  const handler = run.steps[run.index++];
  if (!handler) return run.done();
  try {
    const result: unknown = handler(run.req, run.res, run.next);
    if (result instanceof Promise) result.then(undefined, (reason: unknown) => run.done(reason ?? new Error('middleware rejected')));
  } catch (thrown) {
    run.done(thrown);
  }
}
