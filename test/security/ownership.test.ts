// Object-level authorisation (issue 26 §0.3): every object a key can make belongs to that
// key. Another user key can neither list, use, read nor delete it (it is "not found", like
// an id that never existed); an admin key sees all. Checked for reference voices (list,
// synthesise with, delete), tasks and the studio's profiles.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { received } from '../fixtures/plugins/tone-tts/index.ts';
import { startSpeechHub } from '../openai/support.ts';
import { DEV_KEY, wavBlobFor, type TestHub } from '../support/test-hub.ts';

type Json = Record<string, any>;

function addForm(id: string): FormData {
  const form = new FormData();
  form.set('id', id);
  form.set('text', 'My own voice.');
  form.set('audio', wavBlobFor({ seconds: 1.2, sampleRate: 22050 }), 'voice.wav');
  return form;
}

describe('objects belong to the key that made them', () => {
  let hub: TestHub;
  let alice: string;
  let bob: string;
  const as = (key: string, path: string, init: RequestInit = {}) => hub.call(path, { ...init, key });
  const speak = (key: string, voice: string) =>
    as(key, '/v1/audio/speech', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'tone-tts', input: 'Whose voice is this?', voice, response_format: 'wav' }) });

  before(async () => {
    hub = await startSpeechHub();
    const make = async (name: string) => {
      const res = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
      assert.equal(res.status, 201);
      return ((await res.json()) as { key: string }).key;
    };
    alice = await make('alice');
    bob = await make('bob');
  });
  after(() => hub.stop());

  it("keeps a reference voice out of another key's list, synthesis and delete", async () => {
    assert.equal((await as(alice, '/v1/references/add', { method: 'POST', body: addForm('alice-voice') })).status, 201);
    const bobList = (await (await as(bob, '/v1/references')).json()) as Json;
    assert.deepEqual(bobList.data, [], 'bob lists none of alice’s voices');
    const bobVoices = (await (await as(bob, '/v1/voices?model=tone-tts')).json()) as Json;
    assert.ok(!bobVoices.data.some((v: Json) => v.id === 'alice-voice'), 'nor among the model voices');

    received.length = 0;
    const stolen = await speak(bob, 'alice-voice');
    await stolen.arrayBuffer();
    assert.ok(received.every((r) => r.reference === undefined), 'no clip of alice reached the model for bob');

    const removed = await as(bob, '/v1/references/alice-voice', { method: 'DELETE' });
    assert.equal(removed.status, 404);
    assert.equal((await as(alice, '/v1/references')).status, 200);
    const aliceList = (await (await as(alice, '/v1/references')).json()) as Json;
    assert.deepEqual(aliceList.data.map((r: Json) => r.id), ['alice-voice'], 'still there for alice');

    received.length = 0;
    const own = await speak(alice, 'alice-voice');
    assert.equal(own.status, 200, await own.clone().text());
    await own.arrayBuffer();
    assert.equal(received[0]?.reference?.text, 'My own voice.', 'alice synthesises with her own clip');
  });

  it('lets two keys hold a voice of the same id, each using its own', async () => {
    assert.equal((await as(bob, '/v1/references/add', { method: 'POST', body: addForm('alice-voice') })).status, 201, 'no conflict, and no oracle, across keys');
    assert.deepEqual(((await (await as(bob, '/v1/references')).json()) as Json).data.map((r: Json) => r.id), ['alice-voice']);
    assert.equal((await as(bob, '/v1/references/alice-voice', { method: 'DELETE' })).status, 200);
    assert.deepEqual(((await (await as(alice, '/v1/references')).json()) as Json).data.map((r: Json) => r.id), ['alice-voice'], "bob's delete removed his own only");
  });

  it('shows an admin key every key’s voices, and lets it delete them', async () => {
    const all = (await (await as(DEV_KEY, '/v1/references')).json()) as Json;
    assert.ok(all.data.some((r: Json) => r.id === 'alice-voice'));
    assert.equal((await as(DEV_KEY, '/v1/references/alice-voice', { method: 'DELETE' })).status, 200);
    assert.deepEqual(((await (await as(alice, '/v1/references')).json()) as Json).data, []);
  });

  it("keeps a task out of another key's reach (status, result, events, cancel, delete, list)", async () => {
    const submitted = await as(alice, '/api/tts/espeak?async=true', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Mine.' }) });
    assert.equal(submitted.status, 202, await submitted.clone().text());
    const { task_id } = (await submitted.json()) as { task_id: string };
    for (const [method, path] of [['GET', ''], ['GET', '/result'], ['GET', '/events'], ['POST', '/cancel'], ['DELETE', '']] as const) {
      const res = await as(bob, `/api/tasks/${task_id}${path}`, { method });
      assert.equal(res.status, 404, `${method} /api/tasks/{id}${path} for another key`);
      await res.arrayBuffer();
    }
    const listed = (await (await as(bob, '/api/tasks')).json()) as Json;
    assert.ok(!listed.tasks.some((t: Json) => t.task_id === task_id || t.id === task_id));
    const admin = await as(DEV_KEY, `/api/tasks/${task_id}`);
    assert.equal(admin.status, 200, 'admin sees it');
    await admin.arrayBuffer();
  });

  it("keeps a studio profile out of another key's reach", async () => {
    const created = await as(alice, '/profiles', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'alice profile' }) });
    assert.equal(created.status, 200, await created.clone().text());
    const { id } = (await created.json()) as { id: string };
    assert.deepEqual(await (await as(bob, '/profiles')).json(), []);
    assert.equal((await as(bob, `/profiles/${id}`)).status, 404);
    assert.equal((await as(bob, `/profiles/${id}`, { method: 'DELETE' })).status, 404);
    assert.equal((await as(alice, `/profiles/${id}`)).status, 200);
  });
});
