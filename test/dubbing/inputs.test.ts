// How a dub's audio gets in: the default config refuses links to loopback, private,
// link-local and metadata addresses and non-http schemes (before any dub exists); with
// loopback allowed, a redirect to an address outside the allow-list is refused when the job
// follows it, and a download that trickles on past its deadline is stopped; presigned uploads are size-limited while they stream, sniffed (not audio: 415;
// a video container: 422 naming it) and taken only while the dub is new.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TestHub } from '../support/test-hub.ts';
import { api, makeVoice, put, startDubbingHub, until, voiceWav, type Json } from './support.ts';

const MP4_HEAD = Uint8Array.from([0, 0, 0, 0x20, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2avc1mp41'), ...new Array(64).fill(0)]);

describe('dubbing inputs', () => {
  let open: TestHub;
  let locked: TestHub;
  let server: Server;
  let port: number;
  let voice: Json;
  before(async () => {
    [open, locked] = await Promise.all([
      startDubbingHub({ uploads: { classes: { content: { maxBytes: 400_000 } } }, dubbing: { linkTimeoutSeconds: 1.5 } }),
      // The shipped fetch settings: nothing allowed beyond the public internet.
      startDubbingHub({ fetch: { allow: [] } }),
    ]);
    server = createServer((req, res) => {
      if (req.url === '/redirect') res.writeHead(302, { location: `http://127.0.0.2:${port}/song.wav` }).end();
      else if (req.url === '/trickle') {
        // A byte every 200 ms: never idle long enough for the fetcher's idle cut, only the whole-download deadline stops it.
        res.writeHead(200, { 'content-type': 'audio/wav' });
        const timer = setInterval(() => res.write('R'), 200);
        res.once('close', () => clearInterval(timer));
      }
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    voice = await makeVoice(open, [voiceWav(3, 200)]);
  });
  after(async () => {
    await Promise.all([open?.stop(), locked?.stop()]);
    await new Promise((r) => server?.close(r));
  });

  it('refuses loopback, private, link-local, metadata and non-http links under the default config', async () => {
    const links = [`http://127.0.0.1:${port}/song.wav`, 'http://[::1]/a.mp3', 'http://10.1.2.3/a.mp3', 'http://192.168.0.7/a.mp3', 'http://172.16.5.5/a.mp3', 'http://169.254.169.254/latest/meta-data', 'http://[fd00::1]/a.mp3', 'file:///etc/passwd', 'ftp://example.com/a.mp3', 'http://0.0.0.0/a.mp3'];
    for (const link of links) {
      const { status, json } = await api(locked, 'POST', '/v1/me/dubs', { voiceId: voice.id, link });
      assert.equal(status, 422, `${link}: ${JSON.stringify(json)}`);
      assert.equal(json.code, 'link_refused', link);
    }
  });

  it('re-checks each redirect: a loopback link allowed by config that redirects outside the allow-list fails as link_refused', async () => {
    const created = await api(open, 'POST', '/v1/me/dubs', { voiceId: voice.id, link: `http://127.0.0.1:${port}/redirect` });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    await api(open, 'POST', `/v1/me/dubs/${created.json.dub.id}/preprocess`);
    const dub = await until(open, `/v1/me/dubs/${created.json.dub.id}`, 'dub', ['error']);
    assert.deepEqual([dub.status, dub.errorCode, dub.apiCreditsUsed], ['error', 'link_refused', 0]);
    assert.ok(dub.completedAt);
  });

  it('stops a link that trickles past dubbing.linkTimeoutSeconds', async () => {
    const created = await api(open, 'POST', '/v1/me/dubs', { voiceId: voice.id, link: `http://127.0.0.1:${port}/trickle` });
    await api(open, 'POST', `/v1/me/dubs/${created.json.dub.id}/preprocess`);
    const dub = await until(open, `/v1/me/dubs/${created.json.dub.id}`, 'dub', ['error']);
    assert.equal(dub.errorCode, 'link_timeout');
  });

  it('limits, sniffs and closes presigned uploads', async () => {
    const created = await api(open, 'POST', '/v1/me/dubs', { voiceId: voice.id });
    const url = created.json.uploadUrl as string;
    const early = await api(open, 'POST', `/v1/me/dubs/${created.json.dub.id}/preprocess`);
    assert.deepEqual([early.status, early.json.code], [409, 'upload_missing']);

    const text = await put(url, new TextEncoder().encode('not audio at all, just text '.repeat(20)));
    assert.deepEqual([text.status, text.json.code], [415, 'unsupported_media_type']);
    const video = await put(url, MP4_HEAD);
    assert.equal(video.status, 422);
    assert.equal(video.json.code, 'unsupported_container');
    assert.match(video.json.message, /mp4/);
    // Chunked, so only the count while it streams can stop it.
    const big = voiceWav(10, 24000);
    const res = await fetch(url, { method: 'PUT', body: new Blob([big]).stream(), duplex: 'half' } as RequestInit);
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as Json).code, 'payload_too_large');

    const fine = await put(url, voiceWav(2, 300));
    assert.deepEqual([fine.status, fine.json.format], [200, 'wav']);
    assert.equal((await api(open, 'POST', `/v1/me/dubs/${created.json.dub.id}/preprocess`)).status, 200);
    const late = await put(url, voiceWav(2, 300));
    assert.deepEqual([late.status, late.json.code], [409, 'upload_closed']);
    const forged = await put(url.replace(/[^/]{32}$/, 'A'.repeat(32)), voiceWav(2, 300));
    assert.deepEqual([forged.status, forged.json.code], [404, 'not_found']);
    await until(open, `/v1/me/dubs/${created.json.dub.id}`, 'dub', ['preprocessed']);
  });
});
