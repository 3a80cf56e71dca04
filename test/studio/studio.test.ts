// The voice studio's behaviour over real HTTP: per-key ownership, bad input answered in
// the seed's shapes, full-text history search, deletions that take their files along,
// how samples become the reference clip, engines, and generations as tasks.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { received } from '../fixtures/plugins/tone-tts/index.ts';
import { wavBytes, sine } from '../support/wav.ts';
import type { TestHub } from '../support/test-hub.ts';
import { json, sampleForm, startStudioHub } from './support.ts';

type Json = Record<string, unknown>;

async function body<T = Json>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return JSON.parse(text) as T;
}

async function makeKey(hub: TestHub, name: string, role: 'user' | 'admin' = 'user'): Promise<string> {
  return (await body<{ key: string }>(await hub.call('/api/keys', json({ name, role })), 201)).key;
}

describe('the voice studio', () => {
  let hub: TestHub;
  let alice: string;
  let bob: string;
  const as = (key: string) => (path: string, init: RequestInit = {}) => hub.call(path, { ...init, key } as RequestInit & { key: string });

  async function profileWithSample(key: string, name: string, samples: readonly { seconds: number; text: string }[] = [{ seconds: 2, text: 'A steady tone.' }]): Promise<string> {
    const call = as(key);
    const { id } = await body<{ id: string }>(await call('/profiles', json({ name })));
    for (const s of samples) await body(await call(`/profiles/${id}/samples`, { method: 'POST', body: sampleForm({ seconds: s.seconds, text: s.text }) }));
    return id;
  }
  const generate = (key: string, fields: Json) => as(key)('/generate', json(fields));

  before(async () => {
    hub = await startStudioHub({ studio: { maxSampleSeconds: 4, maxHistoryLimit: 200 } }, { smoke: [] });
    alice = await makeKey(hub, 'alice');
    bob = await makeKey(hub, 'bob');
  });
  after(() => hub.stop());

  it("keeps each key's profiles, samples, history and audio from every other key; the admin sees all", async () => {
    const profile = await profileWithSample(alice, 'Alice voice');
    const made = await body<{ id: string }>(await generate(alice, { profile_id: profile, text: 'Only mine.' }));
    const samples = await body<{ id: string }[]>(await as(alice)(`/profiles/${profile}/samples`));
    const b = as(bob);
    assert.deepEqual(await body(await b('/profiles')), []);
    for (const path of [`/profiles/${profile}`, `/profiles/${profile}/samples`, `/history/${made.id}`, `/audio/${made.id}`]) {
      const res = await b(path);
      assert.equal(res.status, 404, path);
      assert.equal(typeof (await res.json() as Json).detail, 'string');
    }
    assert.equal((await b(`/profiles/${profile}`, json({ name: 'Mine now' }, 'PUT'))).status, 404);
    assert.equal((await b(`/profiles/${profile}/samples`, { method: 'POST', body: sampleForm() })).status, 404);
    assert.equal((await generate(bob, { profile_id: profile, text: 'In her voice.' })).status, 404);
    assert.equal((await b(`/profiles/samples/${samples[0]!.id}`, { method: 'DELETE' })).status, 404);
    assert.equal((await b(`/history/${made.id}`, { method: 'DELETE' })).status, 404);
    assert.equal((await b(`/profiles/${profile}`, { method: 'DELETE' })).status, 404);
    assert.deepEqual(await body(await b('/history')), { items: [], total: 0 });
    assert.equal((await body<{ total_generations: number }>(await b('/history/stats'))).total_generations, 0);
    // Still all there for alice, and visible to the admin (the dev key).
    assert.equal((await body<unknown[]>(await as(alice)(`/profiles/${profile}/samples`))).length, 1);
    assert.ok((await body<{ id: string }[]>(await hub.call('/profiles'))).some((p) => p.id === profile));
    assert.equal((await hub.call(`/audio/${made.id}`)).status, 200);
  });

  it('answers unknown ids with 404 and ids that try to leave the data folder with 400 (a malformed URL), reading nothing', async () => {
    for (const path of ['/profiles/nope', '/history/nope', '/audio/nope']) {
      const res = await hub.call(path);
      assert.equal(res.status, 404, path);
      assert.equal(typeof ((await res.json()) as Json).detail, 'string', path);
    }
    for (const path of ['/audio/..%2F..%2Fhub.db', '/audio/%2E%2E%2Fstudio%2Fsamples', '/profiles/..%2F..%2Fetc%2Fpasswd/samples', '/models/progress/..%2F..%2Fetc']) {
      const res = await hub.call(path);
      assert.equal(res.status, 400, path);
      assert.match(String(((await res.json()) as Json).detail), /malformed URL/, path);
    }
    assert.equal((await hub.call('/profiles/samples/nope', { method: 'DELETE' })).status, 404);
  });

  it('refuses a sample that is not audio (415) or does not decode (415), one under 1 s or over the limit (422), without keeping a file', async () => {
    const profile = await profileWithSample(alice, 'Strict', []);
    const call = as(alice);
    const post = (form: FormData) => call(`/profiles/${profile}/samples`, { method: 'POST', body: form });
    const before = readdirSync(join(hub.dataDir, 'studio', 'samples')).length;
    assert.equal((await post(sampleForm({ file: new Blob(['just text, not audio at all']) }))).status, 415);
    const broken = wavBytes(sine({ seconds: 2, sampleRate: 16000 }), 16000).slice(0, 60);
    assert.equal((await post(sampleForm({ file: new Blob([broken], { type: 'audio/wav' }) }))).status, 415);
    const short = await body<{ detail: { loc: unknown[]; type: string }[] }>(await post(sampleForm({ seconds: 0.5 })), 422);
    assert.deepEqual(short.detail[0]!.loc, ['body', 'file']);
    assert.equal(short.detail[0]!.type, 'audio_too_short');
    const long = await body<{ detail: { type: string }[] }>(await post(sampleForm({ seconds: 5 })), 422);
    assert.equal(long.detail[0]!.type, 'audio_too_long');
    const missing = await body<{ detail: { loc: unknown[]; type: string }[] }>(await post(sampleForm({ file: null })), 422);
    assert.deepEqual(missing.detail[0], { loc: ['body', 'file'], msg: 'Field required', type: 'missing' });
    assert.deepEqual(await body(await call(`/profiles/${profile}/samples`)), []);
    assert.equal(readdirSync(join(hub.dataDir, 'studio', 'samples')).length, before, 'no file kept for a refused sample');
  });

  it("answers invalid bodies and queries with 422 in the seed's validation shape", async () => {
    const profile = await profileWithSample(alice, 'Validation');
    const call = as(alice);
    const cases: [string, RequestInit, unknown[], string][] = [
      ['/generate', json({ profile_id: profile, text: 'x'.repeat(5001) }), ['body', 'text'], 'string_too_long'],
      ['/generate', json({ profile_id: profile, text: '' }), ['body', 'text'], 'string_too_short'],
      ['/generate', json({ profile_id: profile, text: 'Hi', language: 'fr' }), ['body', 'language'], 'string_pattern_mismatch'],
      ['/generate', json({ profile_id: profile, text: 'Hi', seed: -1 }), ['body', 'seed'], 'greater_than_equal'],
      ['/generate', json({ profile_id: profile, text: 'Hi', model_size: '7B' }), ['body', 'model_size'], 'string_pattern_mismatch'],
      ['/generate', json({ text: 'Hi' }), ['body', 'profile_id'], 'missing'],
      ['/generate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": ' }, ['body'], 'json_invalid'],
      ['/profiles', json({ name: 'n', description: 'd'.repeat(501) }), ['body', 'description'], 'string_too_long'],
      ['/profiles', json({ name: 42 }), ['body', 'name'], 'string_type'],
      ['/history?limit=201', {}, ['query', 'limit'], 'less_than_equal'],
      ['/history?limit=ten', {}, ['query', 'limit'], 'int_parsing'],
      ['/history?offset=-1', {}, ['query', 'offset'], 'greater_than_equal'],
    ];
    for (const [path, init, loc, type] of cases) {
      const answer = await body<{ detail: { loc: unknown[]; msg: string; type: string }[] }>(await call(path, init), 422);
      assert.equal(answer.detail.length, 1, path);
      assert.deepEqual(answer.detail[0]!.loc, loc, `${path} ${String(init.body).slice(0, 40)}`);
      assert.equal(answer.detail[0]!.type, type, path);
      assert.equal(typeof answer.detail[0]!.msg, 'string');
    }
    assert.equal((await generate(alice, { profile_id: profile, text: 'x'.repeat(5000), engine: 'espeak' })).status, 422, 'espeak cannot clone');
  });

  it('searches history by text and profile name (FTS5), in any script, with filters, paging and totals', async () => {
    const key = await makeKey(hub, 'searcher');
    const call = as(key);
    const first = await profileWithSample(key, 'Morning Narrator');
    const second = await profileWithSample(key, '晚间播音员');
    for (const text of ['The quick brown fox.', 'Jumps over the lazy dog.', 'Quick thinking "quoted" words.']) await body(await generate(key, { profile_id: first, text }));
    await body(await generate(key, { profile_id: second, text: '你好，世界。今天天气很好。' }));
    const search = async (query: string) => body<{ items: { text: string; profile_name: string }[]; total: number }>(await call(`/history?${query}`));

    assert.deepEqual((await search('search=quick')).items.map((i) => i.text).sort(), ['Quick thinking "quoted" words.', 'The quick brown fox.']);
    assert.equal((await search('search=narrator')).total, 3, 'the profile name is searched');
    assert.equal((await search('search=天气')).total, 1, 'a two-character Chinese term');
    assert.equal((await search('search=%E4%BB%8A%E5%A4%A9%E5%A4%A9%E6%B0%94')).total, 1, 'a longer Chinese substring (trigram index)');
    assert.equal((await search('search=播音员')).total, 1, 'a Chinese profile name');
    assert.equal((await search('search=%22quoted%22')).total, 1, 'quotes are text, not query syntax');
    assert.equal((await search('search=fox%20quick')).total, 1, 'every word must match, in any order');
    assert.equal((await search('search=AND%20OR%20NOT*')).total, 0, 'FTS operators are plain words');
    assert.equal((await search(`profile_id=${second}`)).total, 1);
    const page = await search('limit=2&offset=1');
    assert.equal(page.total, 4);
    assert.equal(page.items.length, 2);

    await body(await call(`/profiles/${first}`, json({ name: 'Evening Reader' }, 'PUT')));
    assert.equal((await search('search=narrator')).total, 0, 'a renamed profile is found by its new name only');
    assert.equal((await search('search=reader')).total, 3);
  });

  it('deletes a profile with its samples, generations and their files; deleting a generation deletes its audio', async () => {
    const key = await makeKey(hub, 'deleter');
    const call = as(key);
    const profile = await profileWithSample(key, 'Short lived');
    const made = await body<{ id: string; audio_path: string }>(await generate(key, { profile_id: profile, text: 'Gone soon.' }));
    const kept = await body<{ id: string; audio_path: string }>(await generate(key, { profile_id: profile, text: 'Also gone.' }));
    const [sample] = await body<{ audio_path: string }[]>(await call(`/profiles/${profile}/samples`));
    const onDisk = (path: string) => existsSync(join(hub.dataDir, path));
    assert.ok(onDisk(made.audio_path) && onDisk(sample!.audio_path));
    // Files at rest are private.
    for (const path of [made.audio_path, sample!.audio_path]) assert.equal(statSync(join(hub.dataDir, path)).mode & 0o777, 0o600, path);
    for (const dir of ['studio', 'studio/samples', 'studio/generations']) assert.equal(statSync(join(hub.dataDir, dir)).mode & 0o777, 0o700, dir);

    assert.deepEqual(await body(await call(`/history/${made.id}`, { method: 'DELETE' })), { message: 'Generation deleted successfully' });
    assert.ok(!onDisk(made.audio_path));
    assert.equal((await call(`/audio/${made.id}`)).status, 404);

    await body(await call(`/profiles/${profile}`, { method: 'DELETE' }));
    assert.ok(!onDisk(sample!.audio_path), 'the sample file is gone');
    assert.ok(!onDisk(kept.audio_path), 'the generation audio is gone');
    assert.equal((await call(`/history/${kept.id}`)).status, 404);
    assert.equal((await call(`/profiles/${profile}/samples`)).status, 404);
  });

  it("speaks from all of a profile's samples combined (within the reference cap), passing seed and size to the engine", async () => {
    const profile = await profileWithSample(alice, 'Combined', [
      { seconds: 1.5, text: 'First clip.' },
      { seconds: 2, text: 'Second clip.' },
    ]);
    received.length = 0;
    const made = await body<{ seed: number; duration: number }>(await generate(alice, { profile_id: profile, text: 'Hello.', seed: 42, model_size: '0.6B' }));
    const request = received.at(-1)!;
    assert.equal(request.reference?.text, 'First clip. Second clip.');
    assert.equal(request.reference?.format, 'wav');
    assert.ok(request.reference?.path?.startsWith(join(hub.dataDir, 'tmp', 'studio')), 'a combined clip is made for several samples');
    assert.ok(!existsSync(request.reference!.path!), 'and removed after');
    assert.equal(request.seed, 42);
    assert.equal(request.variant, '0.6B');
    assert.equal(request.language, 'en');
    assert.equal(made.seed, 42);
    assert.equal(made.duration, 0.3, 'tone-tts: 50 ms per character');

    const noSamples = await body<{ id: string }>(await as(alice)('/profiles', json({ name: 'Empty' })));
    assert.equal((await generate(alice, { profile_id: noSamples.id, text: 'Hi' })).status, 400);
    assert.equal((await generate(alice, { profile_id: profile, text: 'Hi', engine: 'tone-tts' })).status, 200, 'an engine named explicitly');
    const unknown = await body<{ detail: { loc: unknown[] }[] }>(await generate(alice, { profile_id: profile, text: 'Hi', engine: 'nope' }), 422);
    assert.deepEqual(unknown.detail[0]!.loc, ['body', 'engine']);
  });

  it('runs a generation as a task: 202 with Prefer: respond-async, progress to done, and the seed response as its result', async () => {
    const profile = await profileWithSample(alice, 'Async');
    const res = await as(alice)('/generate', { ...json({ profile_id: profile, text: 'One sentence. Then another one.' }), headers: { 'content-type': 'application/json', prefer: 'respond-async' } });
    const accepted = await body<{ task_id: string; status_url: string; result_url: string }>(res, 202);
    let task: { status: string; route: string; progress: number; plugin: string } | undefined;
    for (let i = 0; i < 200; i++) {
      task = await body(await as(alice)(accepted.status_url));
      if (task!.status === 'done' || task!.status === 'error') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(task!.status, 'done', JSON.stringify(task));
    assert.equal(task!.route, 'POST /generate');
    assert.equal(task!.plugin, 'tone-tts');
    assert.equal(task!.progress, 1);
    const result = await body<{ id: string; text: string }>(await as(alice)(accepted.result_url));
    assert.equal(result.text, 'One sentence. Then another one.');
    assert.equal((await body<{ text: string }>(await as(alice)(`/history/${result.id}`))).text, result.text);
    assert.equal((await as(bob)(accepted.status_url)).status, 404, "another key cannot see the task");
    const sync = await generate(alice, { profile_id: profile, text: 'Waited for.' });
    assert.match(sync.headers.get('x-task-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(sync.headers.get('x-weight-state'), 'weight-free', 'which weights made the audio');
  });

  it('keeps load, unload and download for the admin role, and 404s an unknown model', async () => {
    assert.equal((await as(alice)('/models/load', { method: 'POST' })).status, 403);
    assert.equal((await as(alice)('/models/unload', { method: 'POST' })).status, 403);
    assert.equal((await as(alice)('/models/download', json({ model_name: 'tone-tts' }))).status, 403);
    assert.equal((await as(alice)('/models/status')).status, 200);
    assert.equal((await hub.call('/models/download', json({ model_name: 'nope' }))).status, 404);
    assert.equal((await hub.call('/models/download', json({ model_name: 'tone-tts' }))).status, 409);
    assert.equal((await hub.call('/profiles', { key: null } as RequestInit)).status, 401);
  });
});
