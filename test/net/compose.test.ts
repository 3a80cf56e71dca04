// The common middleware joined into one express layer behaves as the separate layers did:
// order, errors passed on, thrown or rejected, and a step that answers ends the chain.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import express, { type RequestHandler } from 'express';
import { composeMiddleware } from '../../core/http/compose.ts';

describe('composeMiddleware', async () => {
  const mark = (name: string): RequestHandler => (req, _res, next) => {
    (req as unknown as { seen: string[] }).seen.push(name);
    next();
  };
  const app = express();
  app.use((req, _res, next) => {
    (req as unknown as { seen: string[] }).seen = [];
    next();
  });
  app.use(
    composeMiddleware([
      mark('a'),
      (req, res, next) => (req.path === '/answer' ? void res.status(204).end() : next()),
      (req, _res, next) => (req.path === '/passed' ? next(new Error('passed on')) : next()),
      (req, _res, next) => {
        if (req.path === '/thrown') throw new Error('thrown');
        next();
      },
      mark('b'),
    ]),
  );
  app.use(
    composeMiddleware([
      async (req, _res, next) => {
        if (req.path === '/rejected') throw new Error('rejected');
        next();
      },
      mark('c'),
    ]),
  );
  app.get('/{*rest}', (req, res) => void res.json((req as unknown as { seen: string[] }).seen));
  app.use(((error, _req, res, _next) => void res.status(500).json({ error: (error as Error).message })) as express.ErrorRequestHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('runs the steps in order, then the next layers and the route', async () => {
    assert.deepEqual(await (await fetch(`${base}/x`)).json(), ['a', 'b', 'c']);
  });
  it('stops where a step answers', async () => {
    assert.equal((await fetch(`${base}/answer`)).status, 204);
  });
  for (const [path, message] of [['/passed', 'passed on'], ['/thrown', 'thrown'], ['/rejected', 'rejected']] as const) {
    it(`hands an error ${path.slice(1)} to express's error handling`, async () => {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 500);
      assert.deepEqual(await res.json(), { error: message });
    });
  }
});
