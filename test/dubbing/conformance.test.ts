// The dubbing surface against seed 001 (the VoiceDub OpenAPI document, loaded from
// ../shared/seeds or $HUB_SEEDS_DIR): every operation of the seed is called on a real hub and
// each answer is validated with ajv against the schema the seed gives for its status — the
// successes and every error the seed declares (not_found, voice_not_found, dub_is_not_new,
// dub_is_not_in_preprocessed_state, voice_is_not_new). The seed's 401/403 responses name
// schemas it never defines; those answers are checked as its `{code, message}` error shape.
// GET /v1/voices also answers seeds 003 and 004's voice lists, checked in the same call.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { loadSeed } from '../support/seeds.ts';
import type { TestHub } from '../support/test-hub.ts';
import { firstJsonObject, loadSeed001 } from './seed.ts';
import { api, put, startDubbingHub, until, voiceWav, type Json } from './support.ts';

const seed = loadSeed001();
const MISSING = '123e4567-e89b-12d3-a456-426614174000';
const ERROR_SHAPE = { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] };

/** Seed 004's GET /v1/voices list and seed 003's, as their examples show them. */
const OPENAI_LIST = {
  type: 'object',
  required: ['object', 'data', 'default'],
  properties: {
    object: { const: 'list' },
    data: { type: 'array', items: { type: 'object', required: ['id', 'object'], properties: { id: { type: 'string' }, object: { const: 'voice' }, wav_path: { type: 'string' } } } },
    default: { type: ['string', 'null'] },
  },
};
const FISH_LIST = {
  type: 'object',
  required: ['voices'],
  properties: { voices: { type: 'array', items: { type: 'object', required: ['voice_id', 'name', 'description'], properties: { voice_id: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' } } } } },
};

describe('the dubbing surface conforms to seed 001 (VoiceDub OpenAPI)', { skip: 'skip' in seed ? seed.skip : false }, () => {
  const doc = 'doc' in seed ? seed.doc : { paths: {}, components: { schemas: {} } };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const checked = new Map<string, Set<string>>();
  let hub: TestHub;
  before(async () => {
    hub = await startDubbingHub();
  });
  after(() => hub?.stop());

  /** Calls the hub and validates the answer against the seed's schema for the operation and status. */
  async function call(method: string, template: string, path: string, body: unknown, expected: number): Promise<Json> {
    const { status, json } = await api(hub, method, path, body);
    assert.equal(status, expected, `${method} ${path}: ${JSON.stringify(json)}`);
    const op = doc.paths[template]![method.toLowerCase()]!;
    const declared = op.responses[String(expected)];
    assert.ok(declared, `the seed declares ${expected} for ${op.operationId}`);
    const validate = ajv.compile({ ...(declared.content!['application/json']!.schema as object), components: doc.components });
    assert.ok(validate(json), `${op.operationId} ${expected}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(json)}`);
    if (!checked.has(op.operationId)) checked.set(op.operationId, new Set());
    checked.get(op.operationId)!.add(String(expected));
    return json;
  }

  it('answers every operation in the seed\'s response schemas, its declared errors included', async () => {
    await call('GET', '/v1/me', '/v1/me', undefined, 200);

    // Voices: create (upload URLs), 404s, wrong state
    const created = await call('POST', '/v1/me/voices', '/v1/me/voices', { name: 'Conformance', numberOfFiles: 1 }, 200);
    assert.equal(created.voice.status, 'new');
    assert.equal(created.voice.maxMinutes, 10, 'the seed\'s default');
    assert.equal(created.voice.requiredCredits, 100);
    assert.equal(created.uploadUrls.length, 1);
    await call('GET', '/v1/me/voices/{voiceId}', `/v1/me/voices/${created.voice.id}`, undefined, 200);
    await call('GET', '/v1/me/voices/{voiceId}', `/v1/me/voices/${MISSING}`, undefined, 404);
    await call('POST', '/v1/me/voices/{voiceId}/clone', `/v1/me/voices/${MISSING}/clone`, undefined, 404);
    assert.equal((await put(created.uploadUrls[0], voiceWav(3, 200))).status, 200);
    const cloning = await call('POST', '/v1/me/voices/{voiceId}/clone', `/v1/me/voices/${created.voice.id}/clone`, undefined, 200);
    assert.equal(cloning.voice.status, 'queued');
    assert.equal(cloning.voice.apiCreditsUsed, 100);
    const clonedAgain = await call('POST', '/v1/me/voices/{voiceId}/clone', `/v1/me/voices/${created.voice.id}/clone`, undefined, 400);
    assert.equal(clonedAgain.code, 'voice_is_not_new');
    await until(hub, `/v1/me/voices/${created.voice.id}`, 'voice', ['done']);
    await call('GET', '/v1/me/voices/{voiceId}', `/v1/me/voices/${created.voice.id}`, undefined, 200);

    // Dubs: voice not found, 404s, wrong states, the lifecycle
    const noVoice = await call('POST', '/v1/me/dubs', '/v1/me/dubs', { voiceId: MISSING }, 400);
    assert.equal(noVoice.code, 'voice_not_found');
    await call('GET', '/v1/me/dubs/{dubId}', `/v1/me/dubs/${MISSING}`, undefined, 404);
    await call('POST', '/v1/me/dubs/{dubId}/preprocess', `/v1/me/dubs/${MISSING}/preprocess`, undefined, 404);
    await call('POST', '/v1/me/dubs/{dubId}/generate', `/v1/me/dubs/${MISSING}/generate`, undefined, 404);
    const dub = await call('POST', '/v1/me/dubs', '/v1/me/dubs', { voiceId: created.voice.id, separate: false }, 200);
    assert.match(dub.uploadUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1\/uploads\//);
    assert.deepEqual([dub.dub.status, dub.dub.pitchShift, dub.dub.apiCreditsUsed, dub.dub.apiCreditsLeft, dub.dub.dubUrl, dub.dub.requiredCredits, dub.dub.inputDuration], ['new', 0, 0, null, null, null, null]);
    const early = await call('POST', '/v1/me/dubs/{dubId}/generate', `/v1/me/dubs/${dub.dub.id}/generate`, undefined, 400);
    assert.equal(early.code, 'dub_is_not_in_preprocessed_state');
    assert.equal((await put(dub.uploadUrl, voiceWav(2, 300))).status, 200);
    await call('POST', '/v1/me/dubs/{dubId}/preprocess', `/v1/me/dubs/${dub.dub.id}/preprocess`, undefined, 200);
    const again = await call('POST', '/v1/me/dubs/{dubId}/preprocess', `/v1/me/dubs/${dub.dub.id}/preprocess`, undefined, 400);
    assert.equal(again.code, 'dub_is_not_new');
    await until(hub, `/v1/me/dubs/${dub.dub.id}`, 'dub', ['preprocessed']);
    await call('GET', '/v1/me/dubs/{dubId}', `/v1/me/dubs/${dub.dub.id}`, undefined, 200);
    await call('POST', '/v1/me/dubs/{dubId}/generate', `/v1/me/dubs/${dub.dub.id}/generate`, undefined, 200);
    const twice = await call('POST', '/v1/me/dubs/{dubId}/generate', `/v1/me/dubs/${dub.dub.id}/generate`, undefined, 400);
    assert.equal(twice.code, 'dub_is_not_in_preprocessed_state');
    await until(hub, `/v1/me/dubs/${dub.dub.id}`, 'dub', ['done']);
    const done = await call('GET', '/v1/me/dubs/{dubId}', `/v1/me/dubs/${dub.dub.id}`, undefined, 200);
    assert.ok(done.dub.dubUrl);
    // The work ran as a hub task: its status and progress are at the task routes.
    const task = await fetch(`${hub.url}/api/tasks/${done.dub.taskId}`, { headers: { Authorization: `Api-Key amphion-dev-key-change-in-production` } });
    assert.equal(task.status, 200);
    assert.equal(((await task.json()) as Json).status, 'done');
    assert.equal(done.dub.separationMethod, 'none', 'separate: false');

    // The public catalogue: published by an operator, then listed
    const published = await api(hub, 'PUT', `/v1/voices/${created.voice.id}`, { languages: ['english'], genres: ['pop'], styles: ['singing'] });
    assert.equal(published.status, 200, JSON.stringify(published.json));
    const list = await call('GET', '/v1/voices', '/v1/voices?languages=english&limit=8', undefined, 200);
    assert.deepEqual(list.voices.map((v: Json) => v.id), [created.voice.id]);
    assert.equal(list.nextCursor, null);
    const avatar = await fetch(list.voices[0].avatarUrl);
    assert.equal(avatar.status, 200);
    assert.equal(avatar.headers.get('content-type'), 'image/webp');
    await call('GET', '/v1/me', '/v1/me', undefined, 200);

    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods)).map((op) => [op.operationId, Object.keys(op.responses)] as const);
    for (const [id, statuses] of operations) {
      for (const status of statuses) assert.ok(checked.get(id)?.has(status), `${id} ${status} was not exercised`);
    }
  });

  it('answers GET /v1/voices as seed 004\'s and seed 003\'s voice lists too, in the same object', async (t) => {
    const examples = [
      { prefix: '004_', heading: 'GET /v1/voices', schema: OPENAI_LIST },
      { prefix: '003_', heading: '### GET /v1/voices', schema: FISH_LIST },
    ];
    const { status, json } = await api(hub, 'GET', '/v1/voices');
    assert.equal(status, 200);
    for (const { prefix, heading, schema } of examples) {
      const text = loadSeed(prefix);
      if ('skip' in text) {
        t.diagnostic(text.skip);
        continue;
      }
      const validate = ajv.compile(schema);
      // The schema is the seed's example's shape: the example itself passes it.
      const example = firstJsonObject(text.text, text.text.indexOf(heading));
      assert.ok(example && validate(example.value), `seed ${prefix} example: ${ajv.errorsText(validate.errors)}`);
      assert.ok(validate(json), `seed ${prefix}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(json)}`);
    }
    const own = ajv.compile({ ...(doc.paths['/v1/voices']!.get!.responses['200']!.content!['application/json']!.schema as object), components: doc.components });
    assert.ok(own(json), ajv.errorsText(own.errors));
    // A wrong filter: 422 readable as either surface's error
    const bad = await api(hub, 'GET', '/v1/voices?genres=polka');
    assert.equal(bad.status, 422);
    assert.equal(bad.json.code, 'invalid_request');
    assert.equal(bad.json.error.code, 'invalid_request');
  });

  it('keeps each key\'s dubs, voices and credits its own; the admin role sees all', async () => {
    const res = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'alice' }) });
    assert.equal(res.status, 201);
    const alice = ((await res.json()) as { key: string }).key;
    const mine = (await api(hub, 'POST', '/v1/me/voices', { name: 'Admin voice', numberOfFiles: 1 })).json.voice.id as string;
    assert.equal((await api(hub, 'GET', '/v1/me', undefined, alice)).json.user.apiCredits, 1000, 'her own balance');
    const peek = await api(hub, 'GET', `/v1/me/voices/${mine}`, undefined, alice);
    assert.deepEqual([peek.status, peek.json.code], [404, 'not_found']);
    assert.equal((await api(hub, 'POST', `/v1/me/voices/${mine}/clone`, undefined, alice)).status, 404);
    const borrow = await api(hub, 'POST', '/v1/me/dubs', { voiceId: mine }, alice);
    assert.deepEqual([borrow.status, borrow.json.code], [400, 'voice_not_found']);
    const hers = (await api(hub, 'POST', '/v1/me/voices', { name: 'Alice', numberOfFiles: 1 }, alice)).json.voice.id as string;
    assert.equal((await api(hub, 'GET', `/v1/me/voices/${hers}`)).status, 200, 'the admin sees it');
    const publish = await api(hub, 'PUT', `/v1/voices/${hers}`, { languages: [], genres: [], styles: [] }, alice);
    assert.deepEqual([publish.status, publish.json.code], [403, 'forbidden']);
  });

  it('answers a missing or wrong key 401 and an unknown path 404, in the {code, message} shape', async () => {
    const validate = ajv.compile(ERROR_SHAPE);
    const none = await fetch(`${hub.url}/v1/me`);
    const body = (await none.json()) as Json;
    assert.equal(none.status, 401);
    assert.ok(validate(body));
    assert.equal(body.code, 'unauthorized');
    const wrong = await api(hub, 'GET', '/v1/me', undefined, 'not-a-key');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.code, 'unauthorized');
    const unknown = await api(hub, 'GET', '/v1/me/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.code, 'not_found');
    const invalid = await api(hub, 'POST', '/v1/me/dubs', { voiceId: MISSING, pitchShift: 25 });
    assert.equal(invalid.status, 422);
    assert.ok(validate(invalid.json));
    assert.equal(invalid.json.code, 'invalid_request');
    const tooFew = await api(hub, 'POST', '/v1/me/voices', { name: 'x', numberOfFiles: 6 });
    assert.equal(tooFew.status, 422);
  });
});
