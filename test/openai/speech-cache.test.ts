import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeLogger } from '../../core/log/logger.ts';
import { cacheKey, makeSpeechCache, type CachedAudio } from '../../core/surfaces/openai/speech-cache.ts';

const logger = makeLogger({ level: 'silent' });
const entry = (size: number): CachedAudio => ({ format: 'wav', contentType: 'audio/wav', sampleRate: 24000, duration: 1, bytes: new Uint8Array(size).fill(7) });

describe('the speech cache on disk', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'speech-cache-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keys by content, whatever the order of the parts', () => {
    assert.equal(cacheKey({ a: 1, b: { c: 2, d: 3 } }), cacheKey({ b: { d: 3, c: 2 }, a: 1 }));
    assert.notEqual(cacheKey({ a: 1 }), cacheKey({ a: 2 }));
    assert.equal(cacheKey({ a: 1, b: undefined }), cacheKey({ a: 1 }));
  });

  it('gives back what it stored, header and bytes', async () => {
    const cache = makeSpeechCache({ dir: join(dir, 'roundtrip'), options: { enabled: true, maxBytes: 1 << 20, maxAgeSeconds: 60 }, logger });
    await cache.put('a'.repeat(64), entry(100));
    assert.deepEqual(await cache.get('a'.repeat(64)), entry(100));
    assert.equal(await cache.get('b'.repeat(64)), undefined);
  });

  it('evicts the oldest entries when the total size passes its bound', async () => {
    const folder = join(dir, 'size');
    const cache = makeSpeechCache({ dir: folder, options: { enabled: true, maxBytes: 1000, maxAgeSeconds: 60 }, logger });
    for (const key of ['1', '2', '3', '4']) await cache.put(key.repeat(64), entry(300));
    const kept = (await readdir(folder)).sort();
    assert.equal(kept.length, 2, kept.join(', '));
    assert.equal(await cache.get('1'.repeat(64)), undefined);
    assert.ok(await cache.get('4'.repeat(64)));
  });

  it('does not keep an entry larger than the whole bound', async () => {
    const cache = makeSpeechCache({ dir: join(dir, 'huge'), options: { enabled: true, maxBytes: 100, maxAgeSeconds: 60 }, logger });
    await cache.put('c'.repeat(64), entry(500));
    assert.equal(await cache.get('c'.repeat(64)), undefined);
  });

  it('drops entries older than the age bound, also those found on disk at start', async () => {
    const folder = join(dir, 'age');
    const first = makeSpeechCache({ dir: folder, options: { enabled: true, maxBytes: 1 << 20, maxAgeSeconds: 3600 }, logger });
    await first.put('d'.repeat(64), entry(10));
    await first.put('e'.repeat(64), entry(10));
    // Written two hours ago, as far as the file system says.
    const past = new Date(Date.now() - 2 * 3600 * 1000);
    await utimes(join(folder, `${'d'.repeat(64)}.audio`), past, past);
    const restarted = makeSpeechCache({ dir: folder, options: { enabled: true, maxBytes: 1 << 20, maxAgeSeconds: 3600 }, logger });
    assert.equal(await restarted.get('d'.repeat(64)), undefined);
    assert.ok(await restarted.get('e'.repeat(64)));
    assert.deepEqual(await readdir(folder), [`${'e'.repeat(64)}.audio`]);
  });

  it('is off when disabled, or when either bound is zero', async () => {
    for (const options of [{ enabled: false, maxBytes: 100, maxAgeSeconds: 60 }, { enabled: true, maxBytes: 0, maxAgeSeconds: 60 }, { enabled: true, maxBytes: 100, maxAgeSeconds: 0 }]) {
      const cache = makeSpeechCache({ dir: join(dir, 'off'), options, logger });
      assert.equal(cache.enabled, false);
      await cache.put('f'.repeat(64), entry(1));
      assert.equal(await cache.get('f'.repeat(64)), undefined);
    }
  });
});
