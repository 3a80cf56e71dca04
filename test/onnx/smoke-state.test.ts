// A smoke graph is known by a mark inside the file (ONNX metadata), so the weight state
// says `smoke` however the file arrived: a download from a folder of smoke graphs must not
// make a plugin `installed` and label meaningless audio as real.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { smokeGraphBytes } from '../../core/onnx/smoke-graph.ts';
import { isSmokeGraphFile, readOnnxMetadata } from '../../core/onnx/smoke-metadata.ts';
import type { TestHub } from '../support/test-hub.ts';
import smokeVocoder from './fixtures/smoke-vocoder/index.ts';
import { fixtureEntry, postJson, startOnnxHub } from './support/hub.ts';
import { standInGraphBytes } from '../support/stand-in-weights.ts';

const smokeFiles = {
  'decoder.onnx': smokeGraphBytes(smokeVocoder.graphs.decoder, { plugin: 'smoke-vocoder', graph: 'decoder' }),
  'codec/tokenizer.onnx': smokeGraphBytes(smokeVocoder.graphs.tokenizer, { plugin: 'smoke-vocoder', graph: 'tokenizer' }),
};

function writeFolder(files: Record<string, Uint8Array>, root: string): string {
  mkdirSync(root, { recursive: true });
  const folder = mkdtempSync(join(root, 'smoke-folder-'));
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), bytes);
  }
  return folder;
}

describe('smoke graphs known by their own metadata', () => {
  let folder: string;
  let hub: TestHub;
  before(async () => {
    hub = await startOnnxHub([fixtureEntry('smoke-vocoder', { files: Object.keys(smokeFiles).map((path) => ({ path })) })]);
    // Local download sources must lie under the import directory (config downloads.importDir).
    folder = writeFolder({ ...smokeFiles, 'real.onnx': standInGraphBytes(smokeVocoder.graphs.decoder, { plugin: 'smoke-vocoder', graph: 'decoder' }), 'text.onnx': new TextEncoder().encode('not a model') }, join(hub.dataDir, 'import'));
  });
  after(async () => {
    await hub.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('reads the mark from the file: smoke graphs carry it, other graphs and non-ONNX files do not', () => {
    const metadata = readOnnxMetadata(join(folder, 'decoder.onnx'), smokeFiles['decoder.onnx'].byteLength);
    assert.deepEqual(metadata, { 'hub.smoke': '1', 'hub.plugin': 'smoke-vocoder', 'hub.graph': 'decoder' });
    assert.equal(isSmokeGraphFile(join(folder, 'decoder.onnx')), true);
    assert.equal(isSmokeGraphFile(join(folder, 'real.onnx')), false);
    assert.equal(isSmokeGraphFile(join(folder, 'text.onnx')), false);
    assert.equal(isSmokeGraphFile(join(folder, 'absent.onnx')), false);
  });

  it('labels a plugin smoke after a download from a server folder of smoke graphs, and its audio says so', async () => {
    const started = await postJson(hub, '/api/models/download', { model_name: 'smoke-vocoder', source: folder });
    assert.equal(started.status, 202, await started.clone().text());
    let state = '';
    for (let i = 0; i < 200 && state !== 'smoke'; i++) {
      const { models } = (await (await hub.call('/api/models/status')).json()) as { models: { model_name: string; state: string; download: { status: string } }[] };
      const model = models.find((m) => m.model_name === 'smoke-vocoder')!;
      state = model.state;
      if (model.download.status === 'error') assert.fail(JSON.stringify(model.download));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(state, 'smoke');
    const res = await postJson(hub, '/api/vocoder/smoke-vocoder', { frames: 4 });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    await res.arrayBuffer();
  });
});
