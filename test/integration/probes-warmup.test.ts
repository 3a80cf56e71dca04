// Boot inventory, warm-up and the two probes: live answers at once; ready waits for the
// plugins the config warms up, and says which are pending or failed.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../core/config/load-config.ts';
import { makeLogger } from '../../core/log/logger.ts';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../support/smoke.ts';
import { startTestHub, type TestHub } from '../support/test-hub.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
type Line = Record<string, unknown>;

async function readyWithin(hub: TestHub, ms: number): Promise<Response> {
  const until = Date.now() + ms;
  for (;;) {
    const res = await hub.call('/api/health/ready', { key: null });
    if (res.status === 200 || Date.now() > until) return res;
    await res.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('boot inventory, warm-up and probes', () => {
  it('logs every plugin with its weight state at boot, and is ready at once with no warm-up (the default)', async () => {
    const lines: Line[] = [];
    const hub = await startTestHub({}, { NODE_ENV: 'test' }, { logger: makeLogger({ level: 'info', write: (l) => lines.push(JSON.parse(l) as Line) }) });
    try {
      assert.equal(hub.config.warmup, 'none');
      const registered = lines.filter((l) => l.msg === 'plugin');
      const plugins = (await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT)).map((p) => p.decl.name);
      assert.deepEqual(registered.map((l) => l.plugin).sort(), [...plugins].sort());
      assert.ok(registered.every((l) => ['installed', 'unverified', 'smoke', 'missing', 'weight-free'].includes(l.weights as string) && l.warmup === false));
      assert.equal(registered.find((l) => l.plugin === 'espeak')?.weights, 'weight-free');
      assert.equal(lines.find((l) => l.msg === 'plugins registered')?.count, plugins.length);
      const live = await hub.call('/api/health/live', { key: null });
      assert.deepEqual([live.status, await live.json()], [200, { status: 'alive' }]);
      const ready = await hub.call('/api/health/ready', { key: null });
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', warmup: { pending: [], loaded: [], failed: [] } });
    } finally {
      await hub.stop();
    }
  });

  it('loads the listed plugins at boot and turns ready once they have loaded', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hub-warm-'));
    await installSmokeGraphs(dataDir, await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT));
    const lines: Line[] = [];
    const hub = await startTestHub({ dataDir, warmup: ['hifigan', 'griffinlim'] }, { NODE_ENV: 'test' }, { logger: makeLogger({ level: 'info', write: (l) => lines.push(JSON.parse(l) as Line) }) });
    try {
      assert.equal(lines.find((l) => l.msg === 'plugin' && l.plugin === 'hifigan')?.warmup, true);
      const ready = await readyWithin(hub, 20_000);
      assert.equal(ready.status, 200, await ready.clone().text());
      assert.deepEqual(((await ready.json()) as { warmup: { loaded: string[] } }).warmup.loaded, ['hifigan', 'griffinlim']);
      // Loaded before any call asked for it.
      assert.ok(lines.some((l) => l.msg === 'graph loaded' && l.plugin === 'hifigan'));
      const status = (await (await hub.call('/api/models/status')).json()) as { models: { model_name: string; loaded: boolean }[] };
      assert.equal(status.models.find((m) => m.model_name === 'hifigan')?.loaded, true);
    } finally {
      await hub.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('stays not ready, saying why, when a warm-up plugin cannot load; live still answers', async () => {
    const hub = await startTestHub({ warmup: ['bigvgan'] });
    try {
      const until = Date.now() + 10_000;
      let body: { detail: string; warmup: { failed: { plugin: string }[] } };
      let status: number;
      do {
        const res = await hub.call('/api/health/ready', { key: null });
        status = res.status;
        body = (await res.json()) as typeof body;
      } while (body.warmup.failed.length === 0 && Date.now() < until);
      assert.equal(status, 503);
      assert.match(body.detail, /^not ready: bigvgan failed to load: /);
      assert.deepEqual(body.warmup.failed.map((f) => f.plugin), ['bigvgan']);
      assert.equal((await hub.call('/api/health/live', { key: null })).status, 200);
    } finally {
      await hub.stop();
    }
  });

  it('refuses to boot when the warm-up list names an unknown plugin', async () => {
    await assert.rejects(startTestHub({ warmup: ['no-such-plugin'] }), /config: warmup names unknown plugins: no-such-plugin/);
  });

  it('reads HUB_WARMUP as all, none or a comma-separated list', () => {
    assert.equal(loadConfig({ env: { HUB_WARMUP: 'all' } }).warmup, 'all');
    assert.deepEqual(loadConfig({ env: { HUB_WARMUP: 'hifigan, whisper' } }).warmup, ['hifigan', 'whisper']);
  });
});
