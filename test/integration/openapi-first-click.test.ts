// What a newcomer meets in Swagger UI: every operation, sent exactly as the document
// pre-fills it (its examples, defaults and a generated WAV for file fields), answers 2xx on
// smoke graphs; the document's `security` says what the guard chain enforces, route by
// route; one tag list; no internal words in user-facing text.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { TAGS } from '../../core/openapi/tags.ts';
import { installSmokeGraphs } from '../support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..');

type Schema = { $ref?: string; examples?: unknown[]; example?: unknown; default?: unknown; const?: unknown; enum?: unknown[]; format?: string; properties?: Record<string, Schema>; required?: string[] };
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; example?: unknown; schema?: Schema };
type Media = { schema: Schema; example?: Record<string, unknown> };
type Operation = { tags?: string[]; summary?: string; description?: string; security?: unknown[]; parameters?: Parameter[]; requestBody?: { content: Record<string, Media> } };
interface Doc {
  components: { schemas: Record<string, Schema> };
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
}

/** What Swagger UI puts in a parameter's box: its example, else its schema's default. */
function prefilled(parameter: Parameter): unknown {
  return parameter.example ?? parameter.schema?.default;
}

/** Builds the request Swagger UI sends on a first Execute; `ids` supplies ids of objects a test made first. */
function firstClick(path: string, method: string, op: Operation, ids: Record<string, string>, key: string | null, schemas: Record<string, Schema> = {}): { url: string; init: RequestInit } {
  let url = path;
  const query = new URLSearchParams();
  const headers = new Headers();
  if (key) headers.set('X-API-Key', key);
  for (const p of op.parameters ?? []) {
    const value = p.in === 'path' ? (prefilled(p) ?? ids[p.name]) : prefilled(p);
    if (value === undefined) {
      assert.ok(!p.required, `${method.toUpperCase()} ${path}: required ${p.in} parameter '${p.name}' has no example`);
      continue;
    }
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    else if (p.in === 'query') query.set(p.name, String(value));
    else headers.set(p.name, String(value));
  }
  if (query.size) url += `?${query}`;
  const init: RequestInit = { method: method.toUpperCase(), headers };
  const content = op.requestBody?.content;
  if (content) {
    // Swagger UI shows the first media type; its pre-filled body is that type's `example`.
    const [type, media] = Object.entries(content)[0]!;
    const example = media.example ?? {};
    const schema = media.schema.$ref ? schemas[media.schema.$ref.replace('#/components/schemas/', '')]! : media.schema;
    const properties = schema.properties ?? {};
    for (const name of schema.required ?? []) {
      if (properties[name]?.format === 'binary') continue;
      assert.ok(name in example, `${method.toUpperCase()} ${path}: required field '${name}' is not in the ${type} example`);
    }
    if (type === 'application/json') {
      headers.set('content-type', 'application/json');
      // an id field's example says where to get one; a person pastes the id of an object they made
      init.body = JSON.stringify(Object.fromEntries(Object.entries(example).map(([name, value]) => [name, ids[name] ?? value])));
    } else {
      const form = new FormData();
      for (const [name, value] of Object.entries(example)) form.set(name, typeof value === 'string' ? value : JSON.stringify(value));
      const required = schema.required;
      for (const [name, schema] of Object.entries(properties)) {
        if (schema.format === 'binary' && (required ?? []).includes(name)) form.set(name, wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 220 }), `${name}.wav`);
      }
      init.body = form;
    }
  }
  return { url, init };
}

function operations(doc: Doc): { path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
}

/** Answers whose body streams on (Server-Sent Events) are judged by their status and headers. */
async function send(hub: TestHub, url: string, init: RequestInit): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const res = await fetch(hub.url + url, { ...init, signal: controller.signal });
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    controller.abort();
    return { status: res.status, text: '(event stream)' };
  }
  return { status: res.status, text: await res.text() };
}

const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);

describe('the OpenAPI document, as Swagger UI uses it', () => {
  let hub: TestHub;
  let doc: Doc;
  let voices: string;
  before(async () => {
    // An operator's voices file, so that reloading it (an operator's action) has one to read.
    voices = await mkdtemp(join(tmpdir(), 'first-click-voices-'));
    await writeFile(join(voices, 'narrator.wav'), Buffer.from(await wavBlobFor({ seconds: 2, sampleRate: 24000, frequency: 200 }).arrayBuffer()));
    await writeFile(join(voices, 'voices.json'), JSON.stringify({ default: 'narrator', voices: { narrator: { wav: 'narrator.wav', text: 'A voice.' } } }));
    hub = await startTestHub({ openai: { voicesFile: join(voices, 'voices.json') } });
    await installSmokeGraphs(hub.dataDir, plugins);
    doc = (await (await fetch(`${hub.url}/api/openapi.json`)).json()) as Doc;
  });
  after(async () => {
    await hub.stop();
    await rm(voices, { recursive: true, force: true });
  });

  /** A finished task (or, with `queued`, one still waiting behind others) to aim the task routes at. */
  async function taskId(state: 'done' | 'waiting'): Promise<string> {
    const submit = async () => {
      const res = await hub.call('/api/tts/espeak?async=true', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'A task.' }) });
      assert.equal(res.status, 202, await res.clone().text());
      return ((await res.json()) as { task_id: string }).task_id;
    };
    if (state === 'waiting') {
      const ids = await Promise.all(Array.from({ length: 6 }, submit));
      return ids.at(-1)!;
    }
    const id = await submit();
    for (let i = 0; i < 600; i++) {
      const task = (await (await hub.call(`/api/tasks/${id}`)).json()) as { status: string };
      if (task.status === 'done') return id;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`task ${id} did not finish`);
  }

  /** A voice studio profile with one sample, and a generation in its voice. */
  async function studioIds(): Promise<Record<string, string>> {
    const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const profile = await hub.call('/profiles', json({ name: `first click ${Math.random()}` }));
    assert.equal(profile.status, 200, await profile.clone().text());
    const profile_id = ((await profile.json()) as { id: string }).id;
    const form = new FormData();
    form.set('file', wavBlobFor({ seconds: 2, sampleRate: 24000, frequency: 220 }), 'sample.wav');
    form.set('reference_text', 'A sample.');
    const sample = await hub.call(`/profiles/${profile_id}/samples`, { method: 'POST', body: form });
    assert.equal(sample.status, 200, await sample.clone().text());
    const sample_id = ((await sample.json()) as { id: string }).id;
    const generation = await hub.call('/generate', json({ profile_id, text: 'Hello.' }));
    assert.equal(generation.status, 200, await generation.clone().text());
    const generation_id = ((await generation.json()) as { id: string }).id;
    return { profile_id, sample_id, generation_id };
  }

  /** Dubbing objects as far along as the operation needs: a voice (new, done, published), a dub (new with its file, preprocessed, done). */
  async function dubbingIds(path: string, method: string): Promise<Record<string, string>> {
    const post = async (url: string, body?: unknown, verb = 'POST') => {
      const res = await hub.call(url, { method: verb, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      assert.equal(res.status, 200, `${url}: ${await res.clone().text()}`);
      return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const poll = async (url: string, field: 'dub' | 'voice', status: string) => {
      for (let i = 0; i < 1200; i++) {
        const record = ((await (await hub.call(url)).json()) as Record<string, Record<string, string>>)[field]!;
        if (record.status === status) return;
        if (record.status === 'error') throw new Error(`${url}: ${record.errorCode} ${record.errorMessage}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${url} never reached ${status}`);
    };
    const clip = async () => new Uint8Array(await wavBlobFor({ seconds: 2, sampleRate: 24000, frequency: 200 }).arrayBuffer());
    const created = await post('/v1/me/voices', { name: 'first click', numberOfFiles: 1, maxMinutes: 5, separate: false });
    const voiceId = created.voice.id as string;
    assert.equal((await fetch(created.uploadUrls[0], { method: 'PUT', body: await clip() })).status, 200);
    if (path === '/v1/me/voices/{voiceId}/clone') return { voiceId };
    await post(`/v1/me/voices/${voiceId}/clone`);
    await poll(`/v1/me/voices/${voiceId}`, 'voice', 'done');
    if (path.startsWith('/v1/voices/') && method === 'get') await post(`/v1/voices/${voiceId}`, { languages: ['english'], genres: ['pop'], styles: ['singing'] }, 'PUT');
    if (!path.startsWith('/v1/me/dubs/')) return { voiceId };
    const dub = await post('/v1/me/dubs', { voiceId, separate: false });
    const dubId = dub.dub.id as string;
    assert.equal((await fetch(dub.uploadUrl, { method: 'PUT', body: await clip() })).status, 200);
    if (!path.endsWith('/generate') && !path.endsWith('/audio')) return { dubId };
    await post(`/v1/me/dubs/${dubId}/preprocess`);
    await poll(`/v1/me/dubs/${dubId}`, 'dub', 'preprocessed');
    if (path.endsWith('/generate')) return { dubId };
    await post(`/v1/me/dubs/${dubId}/generate`);
    await poll(`/v1/me/dubs/${dubId}`, 'dub', 'done');
    return { dubId };
  }

  async function idsFor(path: string, method = 'get'): Promise<Record<string, string>> {
    if (path.startsWith('/v1/me/dubs') || path.startsWith('/v1/me/voices') || path.startsWith('/v1/voices/')) return dubbingIds(path, method);
    if (path.includes('{task_id}')) return { task_id: await taskId(path.endsWith('/cancel') ? 'waiting' : 'done') };
    if (path.includes('{profile_id}') || path.includes('{sample_id}') || path.includes('{generation_id}') || path === '/generate') return studioIds();
    if (path === '/api/keys/{id}') {
      const res = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'to revoke' }) });
      return { id: ((await res.json()) as { id: string }).id };
    }
    return {};
  }

  it('answers every operation, sent as pre-filled, with 2xx on smoke graphs', async () => {
    const failures: string[] = [];
    // The download starts a background fetch that can change weight states, so it goes last.
    const all = operations(doc).sort((a, b) => Number(a.path === '/api/models/download') - Number(b.path === '/api/models/download'));
    for (const { path, method, op } of all) {
      if (path.startsWith('/ws/')) continue; // a WebSocket upgrade, not a request Swagger UI can send (test/jobs covers it)
      if (path === '/v1/uploads/{token}') continue; // a raw file PUT to a presigned URL, which Swagger UI cannot pre-fill (test/dubbing covers it)
      const { url, init } = firstClick(path, method, op, await idsFor(path, method), 'amphion-dev-key-change-in-production', doc.components.schemas);
      const res = await send(hub, url, init);
      if (res.status < 200 || res.status > 299) failures.push(`${method.toUpperCase()} ${url} → ${res.status} ${res.text.slice(0, 200)}`);
    }
    assert.deepEqual(failures, []);
  });

  it('declares security on exactly the operations whose guards refuse a call without a key', async () => {
    const mismatches: string[] = [];
    for (const { path, method, op } of operations(doc)) {
      const { url, init } = firstClick(path, method, op, { task_id: '00000000-0000-4000-8000-000000000000', id: 'no-such-id', profile_id: 'no-such-id', sample_id: 'no-such-id', generation_id: 'no-such-id', dubId: '00000000-0000-4000-8000-000000000000', voiceId: '00000000-0000-4000-8000-000000000000', token: 'no-such-token' }, null, doc.components.schemas);
      const res = await send(hub, url, init);
      const declared = (op.security ?? []).length > 0;
      const enforced = res.status === 401;
      if (declared !== enforced) mismatches.push(`${method.toUpperCase()} ${path}: declares ${declared ? '' : 'no '}security, answers ${res.status} without a key`);
    }
    assert.deepEqual(mismatches, []);
  });

  it('lists each tag once, from the central list, and every operation names one of them', () => {
    const names = doc.tags.map((t) => t.name);
    assert.equal(new Set(names.map((n) => n.toLowerCase())).size, names.length, `duplicate tags: ${names.join(', ')}`);
    const central: string[] = Object.values(TAGS).map((t) => t.name);
    for (const name of names) assert.ok(central.includes(name), `tag '${name}' is not in core/openapi/tags.ts`);
    for (const { path, method, op } of operations(doc)) {
      assert.equal(op.tags?.length, 1, `${method} ${path} has tags ${JSON.stringify(op.tags)}`);
      assert.ok(names.includes(op.tags[0]!), `${method} ${path}: tag '${op.tags[0]}' is not in the document's list`);
    }
    assert.deepEqual(doc.paths['/api/text/phonemize']?.post?.tags, [TAGS.text.name]);
  });

  it('speaks of compatible systems and behaviours, never of our design documents', () => {
    const internal = /\bseeds? ?0\d\d\b|\bthe seed'?s\b|shared\/design|models\.md|architecture\.md/i;
    for (const { path, method, op } of operations(doc)) {
      const text = JSON.stringify({ summary: op.summary, description: op.description, body: op.requestBody, parameters: op.parameters });
      assert.doesNotMatch(text, internal, `${method} ${path}`);
    }
    // docs/ and its subfolders (docs/models/)
    const docs = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f))];
    for (const file of docs) assert.doesNotMatch(readFileSync(file, 'utf8'), internal, file);
  });
});

describe('the docs behind the key', () => {
  it('declare security on the document and the page when server.openDocs is false, and enforce it', async () => {
    const hub = await startTestHub({ server: { openDocs: false } });
    try {
      const doc = hub.openapi() as unknown as Doc;
      for (const path of ['/api/openapi.json', '/api/docs']) {
        assert.ok((doc.paths[path]!.get!.security ?? []).length > 0, path);
        assert.equal((await fetch(hub.url + path)).status, 401, path);
      }
    } finally {
      await hub.stop();
    }
  });
});
