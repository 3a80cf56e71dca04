// The hub binds to loopback unless HOST opens it; once opened, the public development key
// (admin role) serves only callers on the hub's own machine, so the network cannot mint keys.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../core/config/load-config.ts';
import { startHub } from '../../core/hub.ts';
import { DEV_KEY, startTestHub } from '../support/test-hub.ts';

/** An address of this machine that is not loopback, for calling the hub as a network client would. */
function lanAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === 'IPv4')?.address;
}

describe('binding and the development key', () => {
  it('binds to 127.0.0.1 by default and to what HOST names', async () => {
    assert.equal(loadConfig({ env: {} }).server.host, '127.0.0.1');
    assert.equal(loadConfig({ env: { HOST: '0.0.0.0' } }).server.host, '0.0.0.0');
    const dataDir = await mkdtemp(join(tmpdir(), 'hub-bind-'));
    const hub = await startHub({ env: { NODE_ENV: 'test' }, overrides: { server: { port: 0 }, logLevel: 'silent', dataDir } });
    try {
      assert.equal((hub.server.address() as AddressInfo).address, '127.0.0.1');
    } finally {
      await hub.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('accepts the development key from loopback on a hub opened with HOST=0.0.0.0, and refuses it from the network', async (t) => {
    const lan = lanAddress();
    const hub = await startTestHub({ server: { host: '0.0.0.0' } });
    try {
      const port = (hub.server.address() as AddressInfo).port;
      const local = await fetch(`http://127.0.0.1:${port}/api/keys`, { headers: { 'X-API-Key': DEV_KEY } });
      assert.equal(local.status, 200);
      if (!lan) return t.skip('this machine has no non-loopback IPv4 address to call from');
      const remote = await fetch(`http://${lan}:${port}/api/keys`, { headers: { 'X-API-Key': DEV_KEY } });
      assert.equal(remote.status, 401);
      assert.match(((await remote.json()) as { detail: string }).detail, /development key works only from the machine the hub runs on/);
      const created = await fetch(`http://${lan}:${port}/api/keys`, { method: 'POST', headers: { 'X-API-Key': DEV_KEY, 'content-type': 'application/json' }, body: '{"name":"intruder","role":"admin"}' });
      assert.equal(created.status, 401, 'a network client must not create keys with the public key');
    } finally {
      await hub.stop();
    }
  });

  it('judges the client a trusted proxy names, not the proxy, when trust proxy is set', async () => {
    const hub = await startTestHub({ server: { host: '0.0.0.0', trustProxy: 'loopback' } });
    try {
      const forwarded = await hub.call('/api/keys', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
      assert.equal(forwarded.status, 401);
      const direct = await hub.call('/api/keys');
      assert.equal(direct.status, 200);
    } finally {
      await hub.stop();
    }
  });

  it('keeps the development key for every caller of a hub bound to loopback', async () => {
    const hub = await startTestHub();
    try {
      assert.equal((await hub.call('/api/keys')).status, 200);
    } finally {
      await hub.stop();
    }
  });
});
