import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { standInGraphBytes } from '../support/stand-in-weights.ts';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';
import smokeVocoder from './fixtures/smoke-vocoder/index.ts';
import { audioInfoEntry, fixtureEntry, postJson, startOnnxHub } from './support/hub.ts';
import { readEvents } from './support/sse.ts';
import { startWeightServer, type WeightServer } from './support/weight-server.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const files = {
  'decoder.onnx': standInGraphBytes(smokeVocoder.graphs.decoder, { plugin: 'smoke-vocoder', graph: 'decoder' }),
  'codec/tokenizer.onnx': standInGraphBytes(smokeVocoder.graphs.tokenizer, { plugin: 'smoke-vocoder', graph: 'tokenizer' }),
};
const totalBytes = Object.values(files).reduce((sum, f) => sum + f.byteLength, 0);

interface ModelStatus {
  model_name: string;
  state: string;
  downloaded: boolean;
  loaded: boolean;
  device: string | null;
  size_mb: number;
  memory_mb: number | null;
  problem: string | null;
  graphs: { name: string; loaded: boolean; providers: string[]; memory_mb: number | null }[];
  download: { status: string };
}

describe('the model management API', () => {
  let hub: TestHub;
  let server: WeightServer;
  const statusOf = async (name: string): Promise<ModelStatus> => {
    const body = (await (await hub.call('/api/models/status')).json()) as { models: ModelStatus[] };
    return body.models.find((m) => m.model_name === name)!;
  };

  before(async () => {
    server = await startWeightServer(files);
    const weights = { baseUrl: server.url, files: Object.entries(files).map(([path, bytes]) => ({ path, sha256: sha256(bytes), size: bytes.byteLength })) };
    // The weight server is on loopback: this hub's config allows it, as a lab's would.
    hub = await startOnnxHub([fixtureEntry('smoke-vocoder', weights), fixtureEntry('slow-model'), audioInfoEntry], { onnx: { progressHeartbeatMs: 100, workers: 1 }, fetch: { allow: ['127.0.0.1/32'] } });
  });
  after(async () => {
    await hub.stop();
    await server.close();
  });

  it('refuses a call without a key, and takes the key from the query on the progress stream', async () => {
    const res = await hub.call('/api/models/status', { key: null });
    assert.equal(res.status, 401);
    assert.equal((await hub.call('/api/models/status?api_key=' + DEV_KEY, { key: null })).status, 401, 'only the event stream reads the query');
    const stream = await hub.call(`/api/models/progress/slow-model?api_key=${DEV_KEY}`, { key: null });
    assert.equal(stream.status, 200);
    const events = readEvents(stream);
    assert.equal((await events.until(() => true))[0]!.status, 'idle');
    await events.cancel();
  });

  it('refuses a key without the admin role with 403', async () => {
    const made = await postJson(hub, '/api/keys', { name: 'listener', role: 'user' });
    assert.equal(made.status, 201, await made.clone().text());
    const { key } = (await made.json()) as { key: string };
    const res = await hub.call('/api/models/status', { key });
    assert.equal(res.status, 403);
    assert.match(((await res.json()) as { detail: string }).detail, /admin/);
  });

  it('lists every plugin with its weight state, size, sessions and the reason it cannot run', async () => {
    const res = await hub.call('/api/models');
    assert.equal(res.status, 200);
    const { models } = (await res.json()) as { models: ModelStatus[] };
    assert.deepEqual(models.map((m) => [m.model_name, m.state, m.downloaded, m.loaded]), [
      ['smoke-vocoder', 'missing', false, false],
      ['slow-model', 'missing', false, false],
      ['audio-info', 'weight-free', true, true],
    ]);
    const vocoder = models[0]!;
    assert.equal(vocoder.device, null);
    assert.equal(vocoder.size_mb, 0);
    assert.equal(vocoder.memory_mb, null, 'only the decoder declares its memory');
    assert.deepEqual(vocoder.graphs.map((g) => [g.name, g.loaded, g.memory_mb]), [['decoder', false, 1], ['tokenizer', false, null]]);
    assert.match(vocoder.problem!, /missing decoder\.onnx, codec\/tokenizer\.onnx; install them with: npm run weights -- pull smoke-vocoder$/);
    assert.equal(vocoder.download.status, 'idle');
  });

  it('answers a route whose weights are missing with 503, the files and the command', async () => {
    const res = await postJson(hub, '/api/vocoder/smoke-vocoder');
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), {
      detail: "plugin 'smoke-vocoder' has no weights: missing decoder.onnx, codec/tokenizer.onnx; install them with: npm run weights -- pull smoke-vocoder",
    });
  });

  it('refuses to load a model without weights, an unknown model, and a request without a name', async () => {
    assert.equal((await postJson(hub, '/api/models/load', { model_name: 'smoke-vocoder' })).status, 503);
    const unknown = await postJson(hub, '/api/models/load', { model_name: 'nope' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { detail: "model 'nope' not found" });
    const nameless = await postJson(hub, '/api/models/unload', {});
    assert.equal(nameless.status, 400);
    assert.match(((await nameless.json()) as { detail: string }).detail, /^model_name: is required/);
  });

  it('refuses downloads that cannot happen: weight-free (409), no URL and no source (400), a folder outside the import directory (400)', async () => {
    assert.equal((await postJson(hub, '/api/models/download', { model_name: 'audio-info' })).status, 409);
    const noUrl = await postJson(hub, '/api/models/download', { model_name: 'slow-model' });
    assert.equal(noUrl.status, 400);
    assert.match(((await noUrl.json()) as { detail: string }).detail, /^source: the registry gives no download URL for plugin 'slow-model'/);
    for (const source of ['/etc', '../../etc', '/', 'file:///etc/passwd', '']) {
      const res = await postJson(hub, '/api/models/download', { model_name: 'slow-model', source });
      assert.equal(res.status, source === '' ? 422 : 400, source); // '' is below the field's declared length
      assert.match(((await res.json()) as { detail: string }).detail, /^source: /);
    }
  });

  it('downloads in the background with progress, heartbeats and completion as Server-Sent Events', { timeout: 60_000 }, async () => {
    server.stallAfter('decoder.onnx', 100);
    const stream = await hub.call('/api/models/progress/smoke-vocoder');
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = readEvents(stream);
    await events.until((e) => e.status === 'idle');

    const started = await postJson(hub, '/api/models/download', { model_name: 'smoke-vocoder' });
    assert.equal(started.status, 202);
    const startedBody = (await started.json()) as { status: string; task_id: string };
    assert.equal(started.headers.get('location'), `/api/tasks/${startedBody.task_id}`);
    assert.equal(startedBody.status, 'downloading');
    const again = await postJson(hub, '/api/models/download', { model_name: 'smoke-vocoder' });
    assert.equal(again.status, 202, 'a second request joins the running download');
    assert.equal(((await again.json()) as { task_id: string }).task_id, startedBody.task_id);

    await events.until((e) => e.status === 'downloading' && Number(e.bytes) >= 100);
    await events.untilComment();
    assert.ok(events.comments.includes(': heartbeat'), 'heartbeats while the server stalls');
    server.release();

    const all = await events.until((e) => e.status === 'complete');
    const last = all.at(-1)!;
    assert.deepEqual({ status: last.status, percent: last.percent, bytes: last.bytes, total: last.total, error: last.error }, { status: 'complete', percent: 100, bytes: totalBytes, total: totalBytes, error: null });
    for (const e of all.filter((e) => e.status === 'downloading')) {
      assert.ok(Number(e.percent) >= 0 && Number(e.percent) <= 100 && e.total === totalBytes, JSON.stringify(e));
      assert.equal(e.model_name, 'smoke-vocoder');
    }
    await events.until(() => false);
    assert.ok(events.ended, 'the stream closes after complete');

    const status = await statusOf('smoke-vocoder');
    assert.deepEqual([status.state, status.downloaded, status.problem], ['installed', true, null]);
    // size_mb is the weight folder on disk, in MiB to 0.1: the downloaded files, and whatever
    // else the folder holds (a 3 MiB file added here makes the number large enough to tell).
    const folder = join(hub.dataDir, 'models', 'smoke-vocoder');
    const onDisk = () => readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).reduce((sum, e) => sum + statSync(join(e.parentPath ?? e.path, e.name)).size, 0);
    assert.ok(onDisk() >= totalBytes, 'the downloaded files are in the folder');
    assert.equal(status.size_mb, Math.round((onDisk() / 2 ** 20) * 10) / 10);
    writeFileSync(join(folder, 'notes.bin'), new Uint8Array(3 * 2 ** 20));
    try {
      assert.equal((await statusOf('smoke-vocoder')).size_mb, Math.round((onDisk() / 2 ** 20) * 10) / 10);
      assert.ok((await statusOf('smoke-vocoder')).size_mb >= 3);
    } finally {
      rmSync(join(folder, 'notes.bin'));
    }
  });

  it('serves the downloaded model, labelled installed, and loads and unloads it on request', async () => {
    const res = await postJson(hub, '/api/vocoder/smoke-vocoder', { frames: 4 });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-weight-state'), 'installed');
    await res.arrayBuffer();

    const loaded = await postJson(hub, '/api/models/load', { model_name: 'smoke-vocoder' });
    assert.equal(loaded.status, 200);
    const body = (await loaded.json()) as ModelStatus & { message: string };
    assert.equal(body.message, "model 'smoke-vocoder' loaded");
    assert.deepEqual([body.loaded, body.device], [true, 'cpu']);
    assert.ok(body.graphs.every((g) => g.loaded && g.providers[0] === 'cpu'));

    const unloaded = await postJson(hub, '/api/models/unload', { model_name: 'smoke-vocoder' });
    assert.equal(unloaded.status, 200);
    assert.deepEqual([((await unloaded.json()) as ModelStatus).loaded, (await statusOf('smoke-vocoder')).device], [false, null]);
  });

  it('describes every model route in the OpenAPI document', async () => {
    const doc = (await (await hub.call('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [
      ['/api/models', 'get'],
      ['/api/models/status', 'get'],
      ['/api/models/load', 'post'],
      ['/api/models/unload', 'post'],
      ['/api/models/download', 'post'],
      ['/api/models/progress/{model_name}', 'get'],
    ] as const) {
      assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
    }
  });
});
