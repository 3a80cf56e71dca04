// The speech cache over real HTTP: HIT after MISS with the same bytes, every way of opting
// out (and that an opted-out request leaves nothing on disk), ad-hoc cloning, and the
// operator's switch.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { received } from '../fixtures/plugins/tone-tts/index.ts';
import type { TestHub } from '../support/test-hub.ts';
import { wavBlobFor } from '../support/test-hub.ts';
import { speak, startSpeechHub } from './support.ts';

/** Every file under `dir`, recursively (none when it does not exist). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Asks again (briefly) until the answer is empty, for clean-up that runs as a response closes. */
async function settled(list: () => Promise<string[]>): Promise<string[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const found = await list();
    if (found.length === 0) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return list();
}

describe('the speech cache', () => {
  let hub: TestHub;
  let cacheDir: string;
  before(async () => {
    hub = await startSpeechHub();
    cacheDir = join(hub.dataDir, 'cache', 'openai-speech');
  });
  after(() => hub.stop());

  it('answers MISS then HIT with identical bytes, without running the model again', async () => {
    const body = { input: 'Cache me once.', voice: 'low', response_format: 'wav', speed: 1.5 };
    const first = await speak(hub, body);
    assert.equal(first.headers.get('x-cache'), 'MISS');
    assert.equal(first.headers.get('x-route'), 'HOT');
    const bytes = new Uint8Array(await first.arrayBuffer());
    received.length = 0;
    const second = await speak(hub, body);
    assert.equal(second.headers.get('x-cache'), 'HIT');
    assert.equal(second.headers.get('x-route'), 'CACHE');
    assert.equal(second.headers.get('content-type'), 'audio/wav');
    assert.deepEqual(new Uint8Array(await second.arrayBuffer()), bytes);
    assert.equal(received.length, 0, 'the model ran on a HIT');
  });

  it('keys on everything that shapes the audio: voice, speed, format and sampling each miss', async () => {
    const base = { input: 'Key parts.', voice: 'low', response_format: 'wav' };
    assert.equal((await speak(hub, base)).headers.get('x-cache'), 'MISS');
    for (const change of [{ voice: 'high' }, { speed: 2 }, { response_format: 'flac' }, { temperature: 0.2 }, { instructions: 'Whisper.' }]) {
      const res = await speak(hub, { ...base, ...change });
      assert.equal(res.headers.get('x-cache'), 'MISS', JSON.stringify(change));
      await res.arrayBuffer();
    }
    assert.equal((await speak(hub, base)).headers.get('x-cache'), 'HIT');
  });

  it('bypasses the cache for cache:false, cache:0 and Cache-Control no-cache/no-store, writing nothing to disk', async () => {
    const before = await filesUnder(hub.dataDir);
    const input = 'Private patient notes.';
    const ways = [
      speak(hub, { input, cache: false }),
      speak(hub, { input, cache: 0 }),
      speak(hub, { input }, { headers: { 'cache-control': 'no-cache' } }),
      speak(hub, { input }, { headers: { 'cache-control': 'private, no-store' } }),
    ];
    for (const res of await Promise.all(ways)) {
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-cache'), 'BYPASS');
      assert.equal(res.headers.get('x-route'), 'HOT');
      await res.arrayBuffer();
    }
    // The same request without opting out was never stored, so it misses.
    assert.deepEqual(await filesUnder(hub.dataDir), before);
    assert.equal((await speak(hub, { input })).headers.get('x-cache'), 'MISS');
  });

  it('answers ADHOC for a request that clones from an uploaded clip, and keeps neither clip nor audio', async () => {
    const entriesBefore = await filesUnder(cacheDir);
    for (const field of ['custom_voice_file', 'speaker_wav']) {
      received.length = 0;
      const form = new FormData();
      form.set('input', 'Cloned for once.');
      form.set('response_format', 'wav');
      form.set('reference_text', 'A tone.');
      form.set(field, wavBlobFor({ seconds: 1, sampleRate: 16000 }), 'me.wav');
      const res = await hub.call('/v1/audio/speech', { method: 'POST', body: form });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(res.headers.get('x-cache'), 'ADHOC');
      assert.equal(res.headers.get('x-route'), 'ADHOC');
      await res.arrayBuffer();
      assert.equal(received[0]!.reference?.format, 'wav');
      assert.equal(received[0]!.reference?.text, 'A tone.');
    }
    assert.deepEqual(await filesUnder(cacheDir), entriesBefore);
    // The request's temporary folder is removed as the response closes, just after the client has it.
    assert.deepEqual(await settled(() => filesUnder(join(hub.dataDir, 'tmp'))), []);
  });

  it('prefers custom_voice_file when both upload names are sent', async () => {
    received.length = 0;
    const form = new FormData();
    form.set('input', 'Both.');
    const chosen = wavBlobFor({ seconds: 1, sampleRate: 16000 });
    form.set('custom_voice_file', chosen, 'a.wav');
    form.set('speaker_wav', wavBlobFor({ seconds: 0.5, sampleRate: 16000 }), 'b.wav');
    const res = await hub.call('/v1/audio/speech', { method: 'POST', body: form });
    assert.equal(res.status, 200, await res.clone().text());
    await res.arrayBuffer();
    // A small upload stays in memory: the model gets the chosen file's bytes.
    assert.equal(received[0]!.reference!.bytes?.length, chosen.size);
  });
});

describe('the speech cache switched off by the operator', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startSpeechHub({ cache: { enabled: false, maxBytes: 1, maxAgeSeconds: 1 } });
  });
  after(() => hub.stop());

  it('answers DISABLED and writes no cache folder', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await speak(hub, { input: 'Never kept.' });
      assert.equal(res.headers.get('x-cache'), 'DISABLED');
      assert.equal(res.headers.get('x-route'), 'HOT');
      await res.arrayBuffer();
    }
    assert.deepEqual(await filesUnder(join(hub.dataDir, 'cache')), []);
  });
});
