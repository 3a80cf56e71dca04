// Reference voices: stored in the database and the data directory, listed, used as
// `voice` by a model that clones, refused by one that cannot, and deleted.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { received } from '../fixtures/plugins/tone-tts/index.ts';
import type { TestHub } from '../support/test-hub.ts';
import { wavBlobFor } from '../support/test-hub.ts';
import { speak, startSpeechHub } from './support.ts';

function addForm(id: string, text = 'A steady tone.', audio: Blob = wavBlobFor({ seconds: 1.5, sampleRate: 22050 })): FormData {
  const form = new FormData();
  form.set('id', id);
  form.set('text', text);
  form.set('audio', audio, 'voice.wav');
  return form;
}

describe('reference voices', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startSpeechHub();
  });
  after(() => hub.stop());

  it('stores a clip with its transcript and lists it', async () => {
    const res = await hub.call('/v1/references/add', { method: 'POST', body: addForm('narrator') });
    assert.equal(res.status, 201, await res.clone().text());
    const stored = (await res.json()) as Record<string, unknown>;
    assert.equal(stored.id, 'narrator');
    assert.equal(stored.text, 'A steady tone.');
    assert.equal(stored.sample_rate, 22050);
    assert.ok(Math.abs((stored.duration as number) - 1.5) < 1e-6);
    const list = (await (await hub.call('/v1/references')).json()) as { object: string; data: { id: string }[] };
    assert.equal(list.object, 'list');
    assert.deepEqual(list.data.map((r) => r.id), ['narrator']);
    const db = new Database(join(hub.dataDir, 'hub.db'), { readonly: true });
    const row = db.prepare('SELECT file FROM openai_references WHERE id = ?').get('narrator') as { file: string };
    db.close();
    assert.ok(existsSync(join(hub.dataDir, 'voices', row.file)), 'the clip is under <dataDir>/voices');
  });

  it('lists it among the voices of a model that clones, in seed 004 shape', async () => {
    const voices = (await (await hub.call('/v1/voices?model=tone-tts')).json()) as { object: string; data: { id: string; object: string; type: string }[]; default: string };
    assert.equal(voices.object, 'list');
    assert.equal(voices.default, 'mid');
    assert.deepEqual(voices.data.map((v) => `${v.id}:${v.type}`), ['mid:builtin', 'low:builtin', 'high:builtin', 'narrator:reference']);
    assert.ok(voices.data.every((v) => v.object === 'voice'));
  });

  it('passes the stored clip and transcript to the model when used as voice', async () => {
    received.length = 0;
    const res = await speak(hub, { input: 'In your voice.', voice: 'narrator', response_format: 'wav' });
    assert.equal(res.status, 200, await res.clone().text());
    await res.arrayBuffer();
    const { reference, voice } = received[0]!;
    assert.equal(voice, undefined);
    assert.equal(reference?.text, 'A steady tone.');
    assert.equal(reference?.format, 'wav');
    assert.ok(reference?.path?.startsWith(join(hub.dataDir, 'voices')));
  });

  it('refuses a second voice with the same id (409) and ids that are not names (422, like every value outside its declared pattern)', async () => {
    const again = await hub.call('/v1/references/add', { method: 'POST', body: addForm('narrator') });
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'conflict');
    const bad = await hub.call('/v1/references/add', { method: 'POST', body: addForm('../etc/passwd') });
    assert.equal(bad.status, 422);
    assert.equal(((await bad.json()) as { error: { param: string } }).error.param, 'id');
  });

  it('refuses a clip that is not audio (415) and a missing clip (400)', async () => {
    const text = await hub.call('/v1/references/add', { method: 'POST', body: addForm('texty', 'x', new Blob(['just some text, not audio at all'])) });
    assert.equal(text.status, 415);
    const form = new FormData();
    form.set('id', 'silent');
    const missing = await hub.call('/v1/references/add', { method: 'POST', body: form });
    assert.equal(missing.status, 400);
    assert.equal(((await missing.json()) as { error: { param: string } }).error.param, 'audio');
  });

  it('deletes a voice and its clip, then answers 404 for it', async () => {
    await hub.call('/v1/references/add', { method: 'POST', body: addForm('temporary') });
    const files = () => readdirSync(join(hub.dataDir, 'voices')).length;
    const before = files();
    const res = await hub.call('/v1/references/temporary', { method: 'DELETE' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: 'temporary', object: 'reference', deleted: true });
    assert.equal(files(), before - 1);
    const again = await hub.call('/v1/references/temporary', { method: 'DELETE' });
    assert.equal(again.status, 404);
    assert.equal(((await again.json()) as { error: { type: string } }).error.type, 'not_found_error');
    const used = await speak(hub, { input: 'gone', voice: 'temporary' });
    assert.equal(used.status, 400);
  });
});
