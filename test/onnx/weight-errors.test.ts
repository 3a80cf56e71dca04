import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isHubError, type HubError } from '../../core/errors.ts';
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import { standInGraphBytes } from '../support/stand-in-weights.ts';
import { VERIFIED_STAMP } from '../../core/onnx/weight-markers.ts';
import smokeVocoder from './fixtures/smoke-vocoder/index.ts';
import { setupManager, type ManagerSetup } from './support/manager.ts';

const mel: Record<string, TensorData> = { mel: { type: 'float32', data: new Float32Array(80 * 2), dims: [1, 80, 2] } };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const graphs = smokeVocoder.graphs;
const decoderBytes = standInGraphBytes(graphs.decoder, { plugin: 'smoke-vocoder', graph: 'decoder' });
const tokenizerBytes = standInGraphBytes(graphs.tokenizer, { plugin: 'smoke-vocoder', graph: 'tokenizer' });

async function hubErrorOf(promise: Promise<unknown>): Promise<HubError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(isHubError(error), `expected a HubError, got ${String(error)}`);
  return error;
}

describe('weights that cannot be used each give their own error', () => {
  let setup: ManagerSetup;
  before(() => {
    setup = setupManager({ workers: 1 });
  });
  after(() => setup.close());

  it('missing files: 503 weights_missing naming the files and the install command', async () => {
    const plugin = setup.pluginOf(smokeVocoder);
    assert.equal(setup.weights.state(plugin), 'missing');
    const error = await hubErrorOf(setup.manager.handlesFor(plugin).decoder!.run(mel));
    assert.equal(error.code, 'weights_missing');
    assert.equal(error.status, 503);
    assert.equal(error.message, "plugin 'smoke-vocoder' has no weights: missing decoder.onnx, codec/tokenizer.onnx; install them with: npm run weights -- pull smoke-vocoder --from <dir|url>");
  });

  it('a file that is not ONNX: 503 graph_corrupt, the state turns missing until the file changes', async () => {
    const plugin = setup.pluginOf(smokeVocoder);
    setup.write(plugin, 'decoder.onnx', 'this is not a protobuf model');
    setup.write(plugin, 'codec/tokenizer.onnx', tokenizerBytes);
    assert.equal(setup.weights.state(plugin), 'unverified', 'present, but the registry pins no sha256');
    const error = await hubErrorOf(setup.manager.handlesFor(plugin).decoder!.run(mel));
    assert.equal(error.code, 'graph_corrupt');
    assert.equal(error.status, 503);
    assert.match(error.message, /^plugin 'smoke-vocoder' graph 'decoder': decoder\.onnx is not a loadable ONNX model \(.+\); reinstall with: npm run weights -- pull smoke-vocoder/);
    assert.doesNotMatch(error.message, /protobuf model/, 'nothing of the file itself is quoted');
    assert.equal(setup.weights.state(plugin), 'missing');
    assert.equal(setup.weights.unusable(plugin), error, 'calls get the same error until the file changes');

    setup.write(plugin, 'decoder.onnx', decoderBytes);
    assert.equal(setup.weights.state(plugin), 'unverified');
    const { audio } = await setup.manager.handlesFor(plugin).decoder!.run(mel);
    assert.deepEqual(audio!.dims, [1, 1, 512]);
  });

  it('a model that disagrees with its contract: 503 contract_mismatch naming plugin, graph, tensor, expected and found', async () => {
    const plugin = setup.pluginOf(smokeVocoder);
    await setup.manager.unload(plugin);
    const other = { ...graphs.decoder, inputs: [{ name: 'mel', type: 'float32', dims: ['batch', 100, 'frames'] }] } as const;
    setup.write(plugin, 'decoder.onnx', standInGraphBytes(other, { plugin: 'smoke-vocoder', graph: 'decoder' }));
    const error = await hubErrorOf(setup.manager.handlesFor(plugin).decoder!.run(mel));
    assert.equal(error.code, 'contract_mismatch');
    assert.equal(error.status, 503);
    assert.equal(
      error.message,
      "plugin 'smoke-vocoder' graph 'decoder' does not match its contract: input 'mel': expected float32 [batch, 80, frames], found float32 [batch, 100, frames] (dim 1 is 100, not 80)",
    );
    assert.equal(setup.weights.state(plugin), 'missing');
  });
});

describe('registry checksums', () => {
  let setup: ManagerSetup;
  before(() => {
    setup = setupManager({ workers: 1 });
  });
  after(() => setup.close());

  const withSums = (decoderSha: string) =>
    setup.pluginOf(smokeVocoder, {
      files: [
        { path: 'decoder.onnx', sha256: decoderSha, size: decoderBytes.byteLength },
        { path: 'codec/tokenizer.onnx', sha256: sha256(tokenizerBytes), size: tokenizerBytes.byteLength },
      ],
    });

  it('a file whose sha256 differs: 503 weights_checksum_mismatch naming the file, found and expected', async () => {
    const wrong = 'ab'.repeat(32);
    const plugin = withSums(wrong);
    setup.write(plugin, 'decoder.onnx', decoderBytes);
    setup.write(plugin, 'codec/tokenizer.onnx', tokenizerBytes);
    const error = await hubErrorOf(setup.manager.handlesFor(plugin).decoder!.run(mel));
    assert.equal(error.code, 'weights_checksum_mismatch');
    assert.equal(error.status, 503);
    assert.equal(error.message, `plugin 'smoke-vocoder': decoder.onnx has sha256 ${sha256(decoderBytes)}, the registry says ${wrong}; reinstall with: npm run weights -- pull smoke-vocoder --from <dir|url>`);
    assert.equal(setup.weights.state(plugin), 'missing');
  });

  it('a size that differs from the registry is missing before anything is hashed', () => {
    const plugin = setup.pluginOf(smokeVocoder, { files: [{ path: 'decoder.onnx', size: 1 }] });
    assert.equal(setup.weights.state(plugin), 'missing');
    assert.deepEqual(setup.weights.missingFiles(plugin), [`decoder.onnx (${decoderBytes.byteLength} bytes, the registry says 1)`]);
  });

  it('matching files load, and their check is remembered so the next start does not hash them again', async () => {
    const plugin = withSums(sha256(decoderBytes));
    setup.weights.clearFailure(plugin);
    assert.equal(setup.weights.unverifiedFiles(plugin).length, 2);
    const { audio } = await setup.manager.handlesFor(plugin).decoder!.run(mel);
    assert.deepEqual(audio!.dims, [1, 1, 512]);
    assert.ok(existsSync(join(setup.weights.dir(plugin), VERIFIED_STAMP)));
    assert.deepEqual(setup.weights.unverifiedFiles(plugin), []);
    assert.equal(setup.weights.state(plugin), 'installed');
  });
});
