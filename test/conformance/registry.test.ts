// The conformance suite: every route of every enabled plugin in the registry, on smoke
// graphs, with a valid call and with invalid input. A plugin is covered the moment it is
// registered; plugin-specific behaviour is tested in the plugin's own folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { loadPlugins, type LoadedPlugin } from '../../core/registry/load-registry.ts';
import type { RouteDecl } from '../../core/plugin/types.ts';
import { installSmokeGraphs } from '../support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../support/test-hub.ts';
import { invalidCases, validForm } from './requests.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const plugins: LoadedPlugin[] = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);

async function detailOf(res: Response): Promise<string> {
  const body = (await res.json()) as { detail?: unknown };
  assert.equal(typeof body.detail, 'string', `expected {"detail": string}, got ${JSON.stringify(body)}`);
  return body.detail as string;
}

function call(hub: TestHub, route: RouteDecl, body: FormData | undefined, query = ''): Promise<Response> {
  return hub.call(`/api${route.path}${query}`, { method: route.method, body });
}

describe('conformance over the registry', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
    await installSmokeGraphs(hub.dataDir, plugins);
  });
  after(() => hub.stop());

  for (const plugin of plugins) {
    describe(`plugin '${plugin.decl.name}'`, () => {
      it('reports itself in /api/health as installed, smoke or weight-free', async () => {
        const health = (await (await hub.call('/api/health')).json()) as { plugins: { name: string; weights: string }[] };
        const entry = health.plugins.find((p) => p.name === plugin.decl.name);
        assert.ok(entry, 'missing from /api/health');
        assert.ok(['installed', 'smoke', 'weight-free'].includes(entry.weights), entry.weights);
      });

      for (const route of plugin.decl.routes) {
        describe(`${route.method} /api${route.path}`, () => {
          it('answers a valid call with its declared output', async () => {
            const res = await call(hub, route, route.method === 'GET' ? undefined : validForm(plugin, route));
            if (res.status !== 200) assert.fail(`status ${res.status}: ${await res.text()}`);
            if (route.produces === 'audio') {
              assert.equal(res.headers.get('content-type'), 'audio/wav');
              assert.ok(res.headers.get('x-weight-state'), 'X-Weight-State header');
              const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
              assert.ok(wav.audioChannels[0]!.length > 0, 'audio is empty');
              assert.equal(String(wav.sampleRate), res.headers.get('x-sample-rate'));
            } else {
              assert.match(res.headers.get('content-type') ?? '', /application\/json/);
              await res.json();
            }
          });

          for (const bad of invalidCases(plugin, route)) {
            it(`rejects ${bad.what} with ${bad.status} and a detail`, async () => {
              const res = await call(hub, route, bad.body, bad.query);
              assert.equal(res.status, bad.status, await res.clone().text());
              assert.match(await detailOf(res), bad.detail);
            });
          }

          it('rejects a call without a key with 401', async () => {
            const res = await hub.call(`/api${route.path}`, { method: route.method, key: null });
            assert.equal(res.status, 401);
            await detailOf(res);
          });
        });
      }
    });
  }
});

describe('plugins whose weights are missing', () => {
  const needWeights = plugins.filter((p) => !p.decl.weightFree);
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  for (const plugin of needWeights) {
    const route = plugin.decl.routes.find((r) => r.method !== 'GET') ?? plugin.decl.routes[0]!;
    it(`'${plugin.decl.name}' answers 503 naming the missing files and the install command`, async () => {
      const res = await call(hub, route, validForm(plugin, route));
      assert.equal(res.status, 503);
      const detail = await detailOf(res);
      assert.match(detail, /missing/);
      assert.match(detail, new RegExp(`npm run weights -- pull ${plugin.decl.name}`));
    });
  }
});

// Keeps the helper import used even when every plugin is weight-free.
void wavBlobFor;
