// POST /api/models/download as an /api/tasks task, through the safe fetcher, against a real
// weight server on loopback: allowed by a lab's allow-list here, refused by the default config.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { standInGraphBytes } from '../support/stand-in-weights.ts';
import type { ProgressEvent } from '../../core/jobs/types.ts';
import type { RegistryEntry } from '../../core/registry/load-registry.ts';
import { openEventStream, openProgressSocket, waitForStatus, wsUrl } from '../jobs/support.ts';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';
import smokeVocoder from './fixtures/smoke-vocoder/index.ts';
import { fixtureEntry, postJson, startOnnxHub } from './support/hub.ts';
import { startWeightServer, type WeightServer } from './support/weight-server.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const files: Record<string, Uint8Array> = {
  'decoder.onnx': standInGraphBytes(smokeVocoder.graphs.decoder, { plugin: 'smoke-vocoder', graph: 'decoder' }),
  'codec/tokenizer.onnx': standInGraphBytes(smokeVocoder.graphs.tokenizer, { plugin: 'smoke-vocoder', graph: 'tokenizer' }),
};
const LAB = { fetch: { allow: ['127.0.0.1/32'] }, jobs: { progressIntervalMs: 0, persistIntervalMs: 0 }, onnx: { workers: 1 } };

interface Started {
  task_id: string;
  status_url: string;
  progress_url: string;
  events_url: string;
}

describe('weight downloads as tasks', () => {
  let server: WeightServer;
  before(async () => {
    server = await startWeightServer(files);
  });
  after(() => server.close());

  const weightsOf = (options: { pinned?: boolean; wrong?: string } = {}): RegistryEntry['weights'] => ({
    baseUrl: server.url,
    files: Object.entries(files).map(([path, bytes]) => ({
      path,
      size: bytes.byteLength,
      ...(options.pinned === false ? {} : { sha256: path === options.wrong ? 'cd'.repeat(32) : sha256(bytes) }),
    })),
  });
  const download = async (hub: TestHub, body: Record<string, unknown> = { model_name: 'smoke-vocoder' }): Promise<Started> => {
    const res = await postJson(hub, '/api/models/download', body);
    assert.equal(res.status, 202, await res.clone().text());
    const started = (await res.json()) as Started;
    assert.equal(res.headers.get('location'), started.status_url);
    return started;
  };
  const stateOf = async (hub: TestHub) => {
    const { models } = (await (await hub.call('/api/models/status')).json()) as { models: { model_name: string; state: string; downloaded: boolean }[] };
    return models.find((m) => m.model_name === 'smoke-vocoder')!;
  };

  describe('with the default config', () => {
    let hub: TestHub;
    before(async () => {
      hub = await startOnnxHub([fixtureEntry('smoke-vocoder', weightsOf())], { onnx: { workers: 1 } });
    });
    after(() => hub.stop());

    it('refuses a source on loopback or a private network in any spelling, at once and without a request', async () => {
      const port = new URL(server.url).port;
      const before = server.requests.length;
      for (const host of ['127.0.0.1', 'localhost', '[::1]', '2130706433', '127.1', '[::ffff:127.0.0.1]', '10.0.0.1', '192.168.1.10', '172.16.0.1', '169.254.169.254', '100.64.0.1', '[fd00::1]']) {
        const res = await postJson(hub, '/api/models/download', { model_name: 'smoke-vocoder', source: `http://${host}:${port}/weights` });
        assert.equal(res.status, 400, host);
        assert.match(((await res.json()) as { detail: string }).detail, /^source: .*refused/, host);
      }
      assert.equal(server.requests.length, before);
    });

    it('never echoes the credentials or query of a refused URL', async () => {
      const res = await postJson(hub, '/api/models/download', { model_name: 'smoke-vocoder', source: 'http://admin:hunter2@127.0.0.1:9/w?token=s3cr3t' });
      assert.equal(res.status, 400);
      const { detail } = (await res.json()) as { detail: string };
      assert.doesNotMatch(detail, /hunter2|admin|s3cr3t/);
    });

    it('fails the task, not the hub, when the registry URL itself is on loopback', async () => {
      const before = server.requests.length;
      const started = await download(hub);
      const task = await waitForStatus(hub, started.task_id, (t) => t.status === 'error');
      assert.equal(task.error.status, 400);
      assert.match(task.error.detail, /refused, the host is a loopback, private/);
      assert.equal(server.requests.length, before);
      assert.equal((await stateOf(hub)).state, 'missing');
    });
  });

  describe('with loopback allowed (a lab config)', () => {
    it('resumes a dropped connection with a Range request, reports bytes, rate and ETA over WebSocket and SSE, and installs atomically', { timeout: 60_000 }, async () => {
      const hub = await startOnnxHub([fixtureEntry('smoke-vocoder', weightsOf())], LAB);
      try {
        server.stallAfter('decoder.onnx', 500);
        server.dropAfter('codec/tokenizer.onnx', 300);
        const started = await download(hub);
        const socket = await openProgressSocket(wsUrl(hub, started.task_id));
        const stream = await openEventStream(hub, started.task_id);
        await waitForStatus(hub, started.task_id, (t) => t.status === 'running' && t.progress > 0);
        assert.equal((await stateOf(hub)).state, 'missing', 'a half file is never installed');
        assert.ok(existsSync(join(hub.config.dataDir, 'models', 'smoke-vocoder', '.partial', 'decoder.onnx.part')));
        server.release();
        const done = await waitForStatus(hub, started.task_id, (t) => t.status !== 'running' && t.status !== 'queued');
        assert.equal(done.status, 'done', JSON.stringify(done.error));
        const ranges = server.requests.filter((r) => r.path === 'codec/tokenizer.onnx').map((r) => r.range);
        assert.deepEqual(ranges.slice(-2), [undefined, 'bytes=300-']);
        const result = await (await hub.call(done.result_url)).json();
        assert.deepEqual(result, { model_name: 'smoke-vocoder', state: 'installed', fetched: ['decoder.onnx', 'codec/tokenizer.onnx'], skipped: [] });
        const { state, downloaded } = await stateOf(hub);
        assert.deepEqual([state, downloaded], ['installed', true]);

        for (const events of [(await socket.closed).events, await stream.events] as ProgressEvent[][]) {
          const details = events.flatMap((e) => (e.details ? [e.details] : []));
          assert.ok(details.length > 0, JSON.stringify(events));
          const total = Object.values(files).reduce((sum, f) => sum + f.byteLength, 0);
          assert.ok(details.every((d) => d.total === total && typeof d.bytes === 'number' && 'rate' in d && 'eta_seconds' in d), JSON.stringify(details));
          assert.equal(events.at(-1)!.status, 'done');
        }
      } finally {
        server.release();
        await hub.stop();
      }
    });

    it('refuses a file whose sha256 is not the pinned one and keeps nothing of it', async () => {
      const hub = await startOnnxHub([fixtureEntry('smoke-vocoder', weightsOf({ wrong: 'decoder.onnx' }))], LAB);
      try {
        const started = await download(hub);
        const task = await waitForStatus(hub, started.task_id, (t) => t.status === 'error');
        assert.equal(task.error.status, 400);
        assert.match(task.error.detail, /^decoder\.onnx: sha256 [0-9a-f]{64} does not match the registry's (cd){32}$/);
        const dir = join(hub.config.dataDir, 'models', 'smoke-vocoder');
        assert.equal(existsSync(join(dir, 'decoder.onnx')), false);
        assert.equal(existsSync(join(dir, '.partial', 'decoder.onnx.part')), false);
        assert.equal((await stateOf(hub)).state, 'missing');
      } finally {
        await hub.stop();
      }
    });

    it('labels files without a pinned sha256 unverified, never installed', async () => {
      const hub = await startOnnxHub([fixtureEntry('smoke-vocoder', weightsOf({ pinned: false }))], LAB);
      try {
        const started = await download(hub);
        const task = await waitForStatus(hub, started.task_id, (t) => t.status === 'done' || t.status === 'error');
        assert.equal(task.status, 'done', JSON.stringify(task.error));
        const { state, downloaded } = await stateOf(hub);
        assert.deepEqual([state, downloaded], ['unverified', true]);
        const res = await postJson(hub, '/api/vocoder/smoke-vocoder', { frames: 2 });
        assert.equal(res.headers.get('x-weight-state'), 'unverified');
        await res.arrayBuffer();
      } finally {
        await hub.stop();
      }
    });

    it('cancels a running download and leaves no partial file', { timeout: 30_000 }, async () => {
      const hub = await startOnnxHub([fixtureEntry('smoke-vocoder', weightsOf())], LAB);
      try {
        server.stallAfter('decoder.onnx', 400);
        const started = await download(hub);
        await waitForStatus(hub, started.task_id, (t) => t.status === 'running' && t.progress > 0);
        const cancel = await hub.call(`/api/tasks/${started.task_id}/cancel`, { method: 'POST' });
        assert.ok(cancel.status < 300, String(cancel.status));
        const task = await waitForStatus(hub, started.task_id, (t) => t.status === 'cancelled');
        assert.equal(task.status, 'cancelled');
        assert.equal(existsSync(join(hub.config.dataDir, 'models', 'smoke-vocoder', '.partial')), false);
        assert.equal((await stateOf(hub)).state, 'missing');
      } finally {
        server.release();
        await hub.stop();
      }
    });

    it('resumes with a Range request after the hub restarts mid-download', { timeout: 60_000 }, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'download-restart-'));
      const entries = [fixtureEntry('smoke-vocoder', weightsOf())];
      try {
        const first = await startOnnxHub(entries, { ...LAB, dataDir });
        server.stallAfter('decoder.onnx', 700);
        const started = await download(first);
        await waitForStatus(first, started.task_id, (t) => t.status === 'running' && t.progress > 0);
        await first.stop(); // the stalled task is aborted at shutdown and left for the next boot
        server.release();

        const second = await startOnnxHub(entries, { ...LAB, dataDir });
        try {
          const task = await waitForStatus(second, started.task_id, (t) => t.status === 'done' || t.status === 'error');
          assert.equal(task.status, 'done', JSON.stringify(task.error));
          assert.equal(task.attempts, 2);
          assert.equal(server.requests.filter((r) => r.path === 'decoder.onnx').at(-1)!.range, 'bytes=700-');
          assert.equal((await stateOf(second)).state, 'installed');
        } finally {
          await second.stop();
        }
      } finally {
        server.release();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('runs `hub models download --hub <url>` as a task of the running hub and follows it', { timeout: 60_000 }, async () => {
      const hub = await startOnnxHub([fixtureEntry('smoke-vocoder', weightsOf())], LAB);
      try {
        const env = { PATH: process.env.PATH, NODE_ENV: 'test', HUB_API_KEY: DEV_KEY, HUB_REGISTRY: hub.config.registry, HUB_DATA_DIR: hub.config.dataDir };
        const { code, out, err } = await new Promise<{ code: number; out: string; err: string }>((done) => {
          const child = spawn(process.execPath, [join(hub.config.rootDir, 'bin', 'hub.mjs'), 'models', 'download', 'smoke-vocoder', '--hub', hub.url], { cwd: hub.config.rootDir, env });
          let out = '';
          let err = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (err += d));
          child.on('close', (code) => done({ code: code ?? -1, out, err }));
        });
        assert.equal(code, 0, err + out);
        assert.equal(out, `smoke-vocoder: installed (a task of ${hub.url})\n`);
        const { tasks } = (await (await hub.call('/api/tasks')).json()) as { tasks: { plugin: string; status: string; route: string }[] };
        assert.deepEqual(tasks.map((t) => [t.plugin, t.status, t.route]), [['hub:weights', 'done', 'POST /api/models/download']]);
      } finally {
        await hub.stop();
      }
    });

    it('copies from the import directory, and refuses a symlink that leads out of it', async () => {
      const hub = await startOnnxHub([fixtureEntry('smoke-vocoder', { files: weightsOf()!.files })], LAB);
      const outside = mkdtempSync(join(tmpdir(), 'outside-'));
      try {
        const importDir = join(hub.config.dataDir, 'import');
        for (const [path, bytes] of Object.entries(files)) {
          mkdirSync(dirname(join(importDir, 'good', path)), { recursive: true });
          writeFileSync(join(importDir, 'good', path), bytes);
          mkdirSync(dirname(join(outside, path)), { recursive: true });
          writeFileSync(join(outside, path), bytes);
        }
        symlinkSync(outside, join(importDir, 'sneaky'));
        const sneaky = await download(hub, { model_name: 'smoke-vocoder', source: 'sneaky' });
        const refused = await waitForStatus(hub, sneaky.task_id, (t) => t.status === 'error');
        assert.match(refused.error.detail, /not a file under the import directory/);
        assert.doesNotMatch(refused.error.detail, new RegExp(outside));

        const good = await download(hub, { model_name: 'smoke-vocoder', source: join(importDir, 'good') });
        const task = await waitForStatus(hub, good.task_id, (t) => t.status === 'done' || t.status === 'error');
        assert.equal(task.status, 'done', JSON.stringify(task.error));
        assert.equal((await stateOf(hub)).state, 'installed');
      } finally {
        rmSync(outside, { recursive: true, force: true });
        await hub.stop();
      }
    });
  });
});
