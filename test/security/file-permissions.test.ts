// Files at rest are private (issue 26 §0.6): the data folder holds key hashes, task history
// and users' audio. After real traffic that touches every store (database, task uploads and
// results, reference voices, the speech cache, upload temp files), every folder under the
// data directory is 0700 and every file 0600, even when the host's umask is the usual 022
// and the folder and database were made world-readable before.
import assert from 'node:assert/strict';
import { chmodSync, closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitForStatus } from '../jobs/support.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../support/test-hub.ts';

function walk(dir: string): { path: string; mode: number; dir: boolean }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    const entry = { path, mode: stat.mode & 0o777, dir: stat.isDirectory() };
    return stat.isDirectory() ? [entry, ...walk(path)] : [entry];
  });
}

describe('file permissions of the data directory', () => {
  let hub: TestHub;
  let dataDir: string;
  before(async () => {
    process.umask(0o022);
    dataDir = join(mkdtempSync(join(tmpdir(), 'perm-')), 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    closeSync(openSync(join(dataDir, 'hub.db'), 'a', 0o644));
    chmodSync(join(dataDir, 'hub.db'), 0o644);
    hub = await startTestHub({ dataDir });
  });
  after(async () => {
    await hub.stop();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('keeps every folder 0700 and every file 0600 after tasks, uploads, reference voices and cached speech', { timeout: 60_000 }, async () => {
    const speak = await hub.call('/api/tts/espeak?async=true', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'private files' }) });
    assert.equal(speak.status, 202, await speak.clone().text());
    const form = new FormData();
    form.set('audio', wavBlobFor({ seconds: 0.5, sampleRate: 16000 }), 'a.wav');
    const info = await hub.call('/api/audio/info?async=true', { method: 'POST', body: form });
    assert.equal(info.status, 202, await info.clone().text());
    for (const res of [speak, info]) {
      const { task_id } = (await res.json()) as { task_id: string };
      assert.equal((await waitForStatus(hub, task_id, (t) => t.status === 'done' || t.status === 'error')).status, 'done');
    }
    const speech = await hub.call('/v1/audio/speech', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'tts-1', input: 'cached words', voice: 'alloy' }) });
    assert.equal(speech.status, 200, await speech.clone().text());
    await speech.arrayBuffer();
    const reference = new FormData();
    reference.set('id', 'mine');
    reference.set('text', 'A steady tone.');
    reference.set('audio', wavBlobFor({ seconds: 1, sampleRate: 22050 }), 'voice.wav');
    const added = await hub.call('/v1/references/add', { method: 'POST', body: reference });
    assert.equal(added.status, 201, await added.clone().text());

    assert.equal(lstatSync(dataDir).mode & 0o777, 0o700, 'the data directory');
    const entries = walk(dataDir);
    for (const expected of ['hub.db', 'tasks', 'voices']) assert.ok(entries.some((e) => e.path.startsWith(join(dataDir, expected))), `${expected} was written`);
    assert.ok(entries.some((e) => e.path.endsWith('result')), 'a task result was written');
    const loose = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.path.slice(dataDir.length)} ${e.mode.toString(8)}`);
    assert.deepEqual(loose, []);
  });
});
