// Seed 004 (uttera-tts-vllm) point by point over real HTTP where the rest of test/openai
// does not already cover it: the voices file and its reload, ad-hoc cloning refused on
// streams, corrupt clone uploads, and that an ad-hoc clone leaves nothing behind.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { received } from '../fixtures/plugins/tone-tts/index.ts';
import type { TestHub } from '../support/test-hub.ts';
import { sine, wavBytes } from '../support/wav.ts';
import { DEV_KEY, speak, startSpeechHub } from './support.ts';

type OpenAiError = { error: { message: string; type: string; param: string | null; code: string } };
type VoiceList = { object: string; data: { id: string; type: string; wav_path?: string }[]; default: string | null };

async function errorOf(res: Response, status: number): Promise<OpenAiError['error']> {
  assert.equal(res.status, status, await res.clone().text());
  return ((await res.json()) as OpenAiError).error;
}

const clip = (seconds: number) => wavBytes(sine({ seconds, sampleRate: 16000 }), 16000);

/** Every file under `dir` with its size (the database's own files aside: they are scanned by row). */
async function filesUnder(dir: string): Promise<Record<string, number>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const out: Record<string, number> = {};
  for (const e of entries) {
    if (!e.isFile() || e.name.startsWith('hub.db')) continue;
    const path = join(e.parentPath, e.name);
    // A request's temporary files may go between the listing and this look.
    const info = await stat(path).catch(() => undefined);
    if (info) out[path] = info.size;
  }
  return out;
}

/** Row count of every table in the hub's database. */
function rowCounts(dataDir: string): Record<string, number> {
  const db = new Database(join(dataDir, 'hub.db'), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

/** Asks again (briefly) until `check` holds, for clean-up that runs as a response closes. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

function cloneForm(fields: Record<string, string>, upload: { field: string; bytes: Uint8Array; name?: string }): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set(upload.field, new Blob([upload.bytes]), upload.name ?? 'me.wav');
  return form;
}

describe('seed 004 on the OpenAI surface', () => {
  let hub: TestHub;
  let voicesDir: string;
  const voicesFile = () => join(voicesDir, 'voices.json');
  const writeVoices = (body: unknown) => writeFile(voicesFile(), JSON.stringify(body));
  const reload = (key: string | null = DEV_KEY) => hub.call('/admin/reload-voices', { method: 'POST', key });
  const voices = async (model = 'tone-tts') => (await (await hub.call(`/v1/voices?model=${model}`)).json()) as VoiceList;

  before(async () => {
    voicesDir = await mkdtemp(join(tmpdir(), 'voices-file-'));
    await mkdir(join(voicesDir, 'standard'));
    await mkdir(join(voicesDir, 'elite'));
    await writeFile(join(voicesDir, 'standard', 'alloy.wav'), clip(1));
    await writeFile(join(voicesDir, 'elite', 'jarvis.wav'), clip(0.5));
    await writeVoices({ default: 'alloy', voices: { alloy: 'standard/alloy.wav', jarvis: { wav: 'elite/jarvis.wav', text: 'At your service.' } } });
    // A small in-memory bound, so an ad-hoc clip goes through the disk and its removal is tested.
    hub = await startSpeechHub({ voicesFile: voicesFile(), models: { 'tts-1': 'tone-tts' } }, { uploads: { memoryBytes: 4096 } });
  });
  after(async () => {
    await hub.stop();
    await rm(voicesDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    received.length = 0;
  });

  it('lists the voices file with wav_path and its default, and speaks with the default when no voice is named', async () => {
    const list = await voices();
    assert.equal(list.default, 'alloy');
    assert.deepEqual(
      list.data.filter((v) => v.type === 'file').map((v) => [v.id, v.wav_path]),
      [
        ['alloy', 'standard/alloy.wav'],
        ['jarvis', 'elite/jarvis.wav'],
      ],
    );
    const res = await speak(hub, { input: 'Default voice.', response_format: 'wav', cache: false });
    assert.equal(res.status, 200, await res.clone().text());
    await res.arrayBuffer();
    assert.equal(received[0]!.reference?.path, join(voicesDir, 'standard', 'alloy.wav'));
    const named = await speak(hub, { input: 'Named voice.', voice: 'jarvis', response_format: 'wav', cache: false });
    await named.arrayBuffer();
    assert.equal(received[1]!.reference?.path, join(voicesDir, 'elite', 'jarvis.wav'));
    assert.equal(received[1]!.reference?.text, 'At your service.');
    // The health probe reports the same voices, open to all.
    const health = (await (await hub.call('/health', { key: null })).json()) as { voices_loaded: string[]; default_voice: string };
    assert.deepEqual(health.voices_loaded.filter((v) => v === 'alloy' || v === 'jarvis'), ['alloy', 'jarvis']);
    assert.equal(health.default_voice, 'alloy');
  });

  it('leaves the voices file out for a model that cannot clone', async () => {
    const list = await voices('espeak');
    assert.equal(list.data.some((v) => v.type === 'file'), false);
    assert.notEqual(list.default, 'jarvis');
    const refused = await errorOf(await speak(hub, { model: 'espeak', input: 'x', voice: 'jarvis' }), 400);
    assert.match(refused.message, /cannot clone/);
  });

  it('reloads the voices file without a restart: a new voice is served, a removed one dropped, its clip kept', async () => {
    await writeFile(join(voicesDir, 'elite', 'nova.wav'), clip(0.7));
    await writeVoices({ default: 'nova', voices: { alloy: 'standard/alloy.wav', nova: 'elite/nova.wav' } });
    const res = await reload();
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { object: 'voices.reload', loaded: ['alloy', 'nova'], added: ['nova'], removed: ['jarvis'], default: 'nova' });
    const list = await voices();
    assert.equal(list.default, 'nova');
    assert.deepEqual(list.data.filter((v) => v.type === 'file').map((v) => v.id), ['alloy', 'nova']);
    const spoken = await speak(hub, { input: 'New.', voice: 'nova', response_format: 'pcm', cache: false });
    await spoken.arrayBuffer();
    assert.equal(received[0]!.reference?.path, join(voicesDir, 'elite', 'nova.wav'));
    // jarvis is gone: the model is asked for a voice it does not have, and says so.
    assert.equal((await errorOf(await speak(hub, { input: 'Old.', voice: 'jarvis', cache: false }), 400)).param, 'voice');
    assert.ok((await stat(join(voicesDir, 'elite', 'jarvis.wav'))).isFile(), 'the clip of a dropped voice stays on disk');
  });

  it('refuses a voices file with bad entries, naming each, and keeps the voices loaded before', async () => {
    const before = await voices();
    await writeFile(join(voicesDir, 'elite', 'notes.wav'), 'not audio at all, just text');
    await writeVoices({ default: 'alloy', voices: { alloy: 'standard/alloy.wav', ghost: 'elite/missing.wav', notes: 'elite/notes.wav' } });
    const error = await errorOf(await reload(), 422);
    assert.equal(error.param, 'voices.ghost');
    assert.match(error.message, /'ghost': elite\/missing\.wav is not a file/);
    assert.match(error.message, /'notes': elite\/notes\.wav is not audio/);
    assert.match(error.message, /nothing was changed/);
    await writeFile(voicesFile(), '{ "voices": ');
    assert.match((await errorOf(await reload(), 422)).message, /could not be read/);
    await writeVoices({ default: 'nobody', voices: { alloy: 'standard/alloy.wav' } });
    assert.equal((await errorOf(await reload(), 422)).param, 'voices.default');
    assert.deepEqual(await voices(), before);
    const res = await speak(hub, { input: 'Still here.', voice: 'nova', response_format: 'pcm', cache: false });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  });

  it('answers 503 naming the fix when a loaded voice has lost its clip, and serves it again once the clip is back', async () => {
    const clipPath = join(voicesDir, 'elite', 'nova.wav');
    await rename(clipPath, `${clipPath}.moved`);
    try {
      const error = await errorOf(await speak(hub, { input: 'Gone.', voice: 'nova', cache: false }), 503);
      assert.match(error.message, /no longer on disk.*reload-voices/);
      assert.equal(received.length, 0);
    } finally {
      await rename(`${clipPath}.moved`, clipPath);
    }
    const back = await speak(hub, { input: 'Back.', voice: 'nova', response_format: 'pcm', cache: false });
    assert.equal(back.status, 200);
    await back.arrayBuffer();
  });

  it('reloads for admin keys only; the health probe stays open', async () => {
    const made = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'listener', role: 'user' }) });
    const user = ((await made.json()) as { key: string }).key;
    assert.equal((await errorOf(await reload(user), 403)).type, 'permission_error');
    assert.equal((await errorOf(await reload(null), 401)).type, 'authentication_error');
    assert.equal((await hub.call('/health', { method: 'HEAD', key: null })).status, 200);
  });

  it('sends no CORS headers by default, to any origin', async () => {
    const res = await speak(hub, { input: 'Hi.', response_format: 'pcm' }, { headers: { origin: 'https://app.example' } });
    await res.arrayBuffer();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('refuses ad-hoc cloning on streams with 422 saying why, and streams a registered voice', async () => {
    for (const [path, extra] of [
      ['/v1/audio/speech/stream', {}],
      ['/v1/audio/speech', { stream: 'true' }],
    ] as const) {
      const form = cloneForm({ input: 'Stream me.', ...extra }, { field: 'speaker_wav', bytes: clip(1) });
      const error = await errorOf(await hub.call(path, { method: 'POST', body: form }), 422);
      assert.equal(error.param, 'speaker_wav');
      assert.match(error.message, /not offered on streams.*POST \/v1\/references\/add/);
    }
    assert.equal(received.length, 0);
    const streamed = await speak(hub, { input: 'Registered.', voice: 'alloy' }, { path: '/v1/audio/speech/stream' });
    assert.equal(streamed.status, 200);
    const bytes = Buffer.from(await streamed.arrayBuffer());
    assert.equal(bytes.readUInt32LE(4), 0xffffffff);
    assert.equal(bytes.readUInt32LE(40), 0xffffffff);
    assert.equal(received[0]!.reference?.path, join(voicesDir, 'standard', 'alloy.wav'));
  });

  it('refuses a corrupt custom_voice_file: 415 for bytes that are not audio, 400 for a broken WAV', async () => {
    const text = cloneForm({ input: 'x' }, { field: 'custom_voice_file', bytes: new TextEncoder().encode('hello, I am not a sound file') });
    assert.match((await errorOf(await hub.call('/v1/audio/speech', { method: 'POST', body: text }), 415)).message, /custom_voice_file/);
    const truncated = clip(1).slice(0, 40);
    const broken = cloneForm({ input: 'x' }, { field: 'custom_voice_file', bytes: truncated });
    assert.equal((await errorOf(await hub.call('/v1/audio/speech', { method: 'POST', body: broken }), 400)).param, 'custom_voice_file');
    // A big file whose header says WAV and whose body is noise: past the memory bound, so it went to disk first.
    const garbage = new Uint8Array(64_000).map((_, i) => (i * 7919) % 251);
    garbage.set(clip(0.01).slice(0, 12));
    const spilled = cloneForm({ input: 'x' }, { field: 'speaker_wav', bytes: garbage });
    assert.equal((await errorOf(await hub.call('/v1/audio/speech', { method: 'POST', body: spilled }), 400)).param, 'speaker_wav');
    assert.equal(received.length, 0);
    assert.ok(await eventually(async () => Object.keys(await filesUnder(join(hub.dataDir, 'tmp'))).length === 0), 'no upload is left in the temporary area');
  });

  it('leaves no file, row or latent behind after an ad-hoc clone (the data directory and every table scanned)', async () => {
    // Warm up the paths an ad-hoc request takes, so what they create once (folders, migrations) is in the "before".
    await (await speak(hub, { input: 'warm', cache: false })).arrayBuffer();
    const filesBefore = await filesUnder(hub.dataDir);
    const rowsBefore = rowCounts(hub.dataDir);
    const big = clip(3); // ~96 kB: over the 4 kB memory bound, so it is written to disk during the request
    for (const field of ['custom_voice_file', 'speaker_wav']) {
      const res = await hub.call('/v1/audio/speech', { method: 'POST', body: cloneForm({ input: 'Secret words for once.', response_format: 'wav' }, { field, bytes: big }) });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(res.headers.get('x-cache'), 'ADHOC');
      assert.equal(res.headers.get('x-route'), 'ADHOC');
      await res.arrayBuffer();
    }
    assert.equal(received.filter((r) => r.reference && r.reference.path?.startsWith(hub.dataDir)).length, 2, 'the clip was on disk while the model ran');
    // The cache opt-outs promise the same: nothing about the request on disk.
    for (const res of [await speak(hub, { input: 'Private notes.', cache: false }), await speak(hub, { input: 'Private notes.' }, { headers: { 'cache-control': 'no-store' } })]) {
      assert.equal(res.headers.get('x-cache'), 'BYPASS');
      await res.arrayBuffer();
    }
    assert.ok(await eventually(async () => JSON.stringify(await filesUnder(hub.dataDir)) === JSON.stringify(filesBefore)), 'the data directory is as before');
    assert.deepEqual(rowCounts(hub.dataDir), rowsBefore);
  });
});

describe('seed 004 operator settings: cache TTL <= 0 and CORS origins', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startSpeechHub({ cache: { enabled: true, maxBytes: 1_000_000, maxAgeSeconds: -1 } }, { server: { port: 0, host: '127.0.0.1', corsOrigins: ['https://app.example'] } });
  });
  after(() => hub.stop());

  it('answers DISABLED when the TTL is zero or less', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await speak(hub, { input: 'Never kept.' });
      assert.equal(res.headers.get('x-cache'), 'DISABLED');
      await res.arrayBuffer();
    }
  });

  it('lets a configured origin read X-Cache and X-Route, and gives other origins no CORS headers', async () => {
    const allowed = await speak(hub, { input: 'Hi.', response_format: 'pcm' }, { headers: { origin: 'https://app.example' } });
    await allowed.arrayBuffer();
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
    const exposed = (allowed.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    for (const name of ['X-Cache', 'X-Route', 'X-Model']) assert.ok(exposed.includes(name), `${name} exposed: ${exposed.join(', ')}`);
    const other = await speak(hub, { input: 'Hi.', response_format: 'pcm' }, { headers: { origin: 'https://elsewhere.example' } });
    await other.arrayBuffer();
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});
