import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installSmokeWeights } from '../../core/onnx/smoke-install.ts';
import { standInGraphBytes } from '../support/stand-in-weights.ts';
import { makeSafeFetcher } from '../../core/net/safe-fetch.ts';
import { pullWeights as pull, type PullOptions } from '../../core/onnx/weight-pull.ts';
import type { WeightInspector } from '../../core/onnx/providers.ts';
import type { LoadedPlugin } from '../../core/registry/load-registry.ts';
import { SMOKE_MARKER } from '../../core/onnx/weight-markers.ts';
import smokeVocoder from './fixtures/smoke-vocoder/index.ts';
import { setupManager, type ManagerSetup } from './support/manager.ts';
import { startWeightServer, type WeightServer } from './support/weight-server.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const files: Record<string, Uint8Array> = {
  'decoder.onnx': standInGraphBytes(smokeVocoder.graphs.decoder, { plugin: 'smoke-vocoder', graph: 'decoder' }),
  'codec/tokenizer.onnx': standInGraphBytes(smokeVocoder.graphs.tokenizer, { plugin: 'smoke-vocoder', graph: 'tokenizer' }),
};
// The weight server listens on loopback: allowed here, as a lab's config would.
const fetcher = makeSafeFetcher({ allow: ['127.0.0.1/32'], connectTimeoutMs: 5000, idleTimeoutMs: 10_000, maxRedirects: 3, maxBytes: 1 << 30 });
const pullWeights = (weights: WeightInspector, plugin: LoadedPlugin, options: Partial<PullOptions> = {}) => pull(weights, plugin, { fetcher, ...options });
const listed = (overrides: Record<string, string> = {}) => Object.entries(files).map(([path, bytes]) => ({ path, sha256: overrides[path] ?? sha256(bytes), size: bytes.byteLength }));

describe('pulling weights', () => {
  let server: WeightServer;
  let setup: ManagerSetup;
  before(async () => {
    server = await startWeightServer(files);
    setup = setupManager({ workers: 1 });
  });
  after(async () => {
    await setup.close();
    await server.close();
  });

  it('replaces smoke graphs, drops the smoke marker and records the checked sums', async () => {
    const plugin = setup.pluginOf(smokeVocoder, { baseUrl: server.url, files: listed() });
    installSmokeWeights(setup.weights.dir(plugin), plugin);
    assert.equal(setup.weights.state(plugin), 'smoke');
    const result = await pullWeights(setup.weights, plugin);
    assert.deepEqual(result.fetched, ['decoder.onnx', 'codec/tokenizer.onnx']);
    assert.equal(existsSync(join(setup.weights.dir(plugin), SMOKE_MARKER)), false);
    assert.equal(setup.weights.state(plugin), 'installed');
    assert.deepEqual(setup.weights.unverifiedFiles(plugin), []);
  });

  it('skips files already in place and verified', async () => {
    const plugin = setup.pluginOf(smokeVocoder, { baseUrl: server.url, files: listed() });
    const before = server.requests.length;
    const result = await pullWeights(setup.weights, plugin);
    assert.deepEqual([result.fetched, result.skipped], [[], ['decoder.onnx', 'codec/tokenizer.onnx']]);
    assert.equal(server.requests.length, before);
  });

  it('resumes a download cut short with a Range request', async () => {
    const fresh = setupManager({ workers: 1 });
    try {
      const plugin = fresh.pluginOf(smokeVocoder, { baseUrl: server.url, files: listed() });
      server.dropAfter('decoder.onnx', 1000);
      await assert.rejects(pullWeights(fresh.weights, plugin), /^DownloadError: decoder\.onnx: the transfer broke off after 1000 bytes \(.+\); pull again to resume$/);
      assert.equal(fresh.weights.state(plugin), 'missing');
      await pullWeights(fresh.weights, plugin);
      const ranges = server.requests.filter((r) => r.path === 'decoder.onnx').map((r) => r.range);
      assert.equal(ranges.at(-1), 'bytes=1000-');
      assert.deepEqual(readFileSync(join(fresh.weights.dir(plugin), 'decoder.onnx')), Buffer.from(files['decoder.onnx']!));
      assert.equal(fresh.weights.state(plugin), 'installed');
    } finally {
      await fresh.close();
    }
  });

  it('refuses a file whose sha256 differs from the registry and keeps nothing of it', async () => {
    const fresh = setupManager({ workers: 1 });
    try {
      const wrong = 'cd'.repeat(32);
      const plugin = fresh.pluginOf(smokeVocoder, { baseUrl: server.url, files: listed({ 'decoder.onnx': wrong }) });
      await assert.rejects(pullWeights(fresh.weights, plugin), new RegExp(`^DownloadError: decoder\\.onnx: sha256 ${sha256(files['decoder.onnx']!)} does not match the registry's ${wrong}$`));
      assert.equal(existsSync(join(fresh.weights.dir(plugin), 'decoder.onnx')), false);
      assert.equal(existsSync(join(fresh.weights.dir(plugin), '.partial', 'decoder.onnx.part')), false);
    } finally {
      await fresh.close();
    }
  });

  it('copies from a folder given instead of the registry URLs', async () => {
    const fresh = setupManager({ workers: 1 });
    const folder = mkdtempSync(join(tmpdir(), 'weights-from-'));
    try {
      for (const [path, bytes] of Object.entries(files)) {
        mkdirSync(dirname(join(folder, path)), { recursive: true });
        writeFileSync(join(folder, path), bytes);
      }
      const plugin = fresh.pluginOf(smokeVocoder, { files: listed() });
      assert.equal(fresh.weights.installCommand(plugin), 'npm run weights -- pull smoke-vocoder --from <dir|url>');
      await assert.rejects(pullWeights(fresh.weights, plugin), /the registry gives no URL for decoder\.onnx/);
      await pullWeights(fresh.weights, plugin, { from: folder });
      assert.equal(fresh.weights.state(plugin), 'installed');
      const { audio } = await fresh.manager.handlesFor(plugin).decoder!.run({ mel: { type: 'float32', data: new Float32Array(80), dims: [1, 80, 1] } });
      assert.deepEqual(audio!.dims, [1, 1, 256]);
    } finally {
      await fresh.close();
    }
  });
});
