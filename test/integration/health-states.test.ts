// GET /api/health answers from its last look at the weight states: a probe polled often
// never waits for the file system (the next look runs right after the answer), a rare one
// gets the states as they are now.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { PluginRuntime } from '../../core/plugin/runtime.ts';
import { makeHealthSurface } from '../../core/surfaces/health.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('weight states in /api/health', () => {
  let state = 'missing';
  let looks = 0;
  const runtime = {
    plugins: [{ decl: { name: 'voc', task: 'vocoder' } }],
    weightState: () => (looks++, state),
  } as unknown as PluginRuntime;
  let url = '';
  let close = () => {};
  before(async () => {
    const app = express();
    makeHealthSurface({ runtime, version: 'test', healthChecks: [] }, { freshMs: 1000, servedStaleMs: 3000 }).mount(app);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`;
    close = () => server.close();
  });
  after(() => close());

  const weights = async () => ((await (await fetch(url)).json()) as { plugins: { weights: string }[] }).plugins[0]!.weights;

  it('shares one look between close probes, and looks again after answering once it is stale', async () => {
    assert.equal(await weights(), 'missing');
    assert.equal(await weights(), 'missing');
    assert.equal(looks, 1, 'probes within the fresh window share the first look');
    state = 'installed';
    await sleep(1100);
    assert.equal(await weights(), 'missing', 'a stale look is answered as it is...');
    await sleep(10);
    assert.equal(looks, 2, '...and looked at again right after the answer');
    assert.equal(await weights(), 'installed');
  });

  it('looks before answering when the last look is too old to serve', { timeout: 10_000 }, async () => {
    state = 'smoke';
    await sleep(3100);
    const before = looks;
    assert.equal(await weights(), 'smoke');
    assert.equal(looks, before + 1);
  });
});
