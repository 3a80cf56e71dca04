// The per-request awilix scope exists for the requests that ask for it, and only those:
// a health probe must not pay for a container it never uses.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { asFunction, createContainer, InjectionMode } from 'awilix';
import express from 'express';
import { makeRequestLog } from '../../core/http/request-log.ts';
import { makeLogger } from '../../core/log/logger.ts';
import { makeRequestScope } from '../../core/http/request-scope.ts';

describe('request scope', () => {
  const container = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
  const disposed: string[] = [];
  container.register({
    greeting: asFunction(({ requestId }: { requestId: string }) => ({ requestId }))
      .scoped()
      .disposer((value) => void disposed.push(value.requestId)),
  });
  let scopes = 0;
  const createScope = container.createScope.bind(container);
  container.createScope = () => (scopes++, createScope());
  let server: http.Server;
  let url: string;

  before(async () => {
    const app = express();
    app.use(makeRequestLog({ logger: makeLogger({ level: 'silent' }) }), makeRequestScope(container));
    app.get('/uses', (req, res) => void res.json(req.scope.resolve<{ requestId: string }>('greeting')));
    app.get('/skips', (_req, res) => void res.json({}));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is made on first use, knows the request id, and is disposed when the response closes', async () => {
    const res = await fetch(`${url}/uses`, { headers: { 'x-request-id': 'scope-test-1' } });
    assert.deepEqual(await res.json(), { requestId: 'scope-test-1' });
    assert.equal(scopes, 1);
    for (let i = 0; i < 50 && disposed.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(disposed, ['scope-test-1']);
  });

  it('is never made for a request that does not ask for it', async () => {
    const before = scopes;
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${url}/skips`)).status, 200);
    assert.equal(scopes, before);
  });
});
