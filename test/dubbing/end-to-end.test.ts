// The whole dubbing path over HTTP on a real hub: a voice cloned from two uploaded
// recordings, then a 20-s two-track song (a centred tone with vibrato over stereo noise,
// made here) dubbed from a presigned upload and from a link on a loopback server, with a
// pitch shift; each finished dub downloads as an MP3 that decodes to 20 s of stereo audio.
// Vevo runs on smoke graphs (its audio means nothing); separation is the weight-free
// fallback, since no separator has installed weights here.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { AudioToolkit } from '../../core/audio/toolkit.ts';
import { DEV_KEY, type TestHub } from '../support/test-hub.ts';
import { api, makeVoice, put, songWav, startDubbingHub, until, voiceWav, type Json } from './support.ts';

describe('dubbing end to end (seed 001)', () => {
  let hub: TestHub;
  let server: Server;
  let linkUrl: string;
  const song = songWav(20);
  before(async () => {
    hub = await startDubbingHub();
    server = createServer((req, res) => {
      if (req.url === '/song.wav') {
        res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': song.byteLength });
        res.end(song);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    linkUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/song.wav`;
  });
  after(async () => {
    await hub?.stop();
    await new Promise((r) => server?.close(r));
  });

  async function download(dub: Json) {
    const res = await fetch(dub.dubUrl as string, { headers: { Authorization: `Api-Key ${DEV_KEY}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'audio/mpeg');
    const audio = hub.container.resolve<AudioToolkit>('audio');
    return audio.decodeBytes(new Uint8Array(await res.arrayBuffer()), 'mp3', { mono: false });
  }

  function checkSong(pcm: { channels: Float32Array[]; sampleRate: number }) {
    assert.equal(pcm.channels.length, 2, 'stereo, like the song');
    const seconds = pcm.channels[0]!.length / pcm.sampleRate;
    // The MP3 encoder adds about 1105 samples of priming (no gapless header): 20 s within 60 ms.
    assert.ok(Math.abs(seconds - 20) < 0.06, `${seconds} s`);
    let peak = 0;
    for (const c of pcm.channels) for (const v of c) peak = Math.max(peak, Math.abs(v));
    assert.ok(peak > 0.01 && peak <= 1, `peak ${peak}`);
  }

  it('clones a voice from two uploads, then dubs a 20-s song from an upload and from a loopback link', async () => {
    const voice = await makeVoice(hub, [voiceWav(4, 180), voiceWav(3, 240)]);
    assert.equal(voice.status, 'done');
    assert.equal(voice.apiCreditsUsed, 50, '10 credits per maxMinute (5)');
    assert.ok(voice.referenceSeconds > 1 && voice.referenceSeconds <= 20, `reference ${voice.referenceSeconds} s`);

    // From an upload, pitch shifted up 3 semitones
    const created = await api(hub, 'POST', '/v1/me/dubs', { voiceId: voice.id, pitchShift: 3 });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.equal(created.json.dub.inputSource, 'upload');
    assert.equal((await put(created.json.uploadUrl, song)).status, 200);
    const fromUpload = await dubToDone(created.json.dub.id);
    assert.equal(fromUpload.pitchShift, 3);
    checkSong(await download(fromUpload));

    // From a link on a loopback server (allowed by this hub's fetch allow-list)
    const linked = await api(hub, 'POST', '/v1/me/dubs', { voiceId: voice.id, link: linkUrl, pitchShift: -2 });
    assert.equal(linked.status, 200, JSON.stringify(linked.json));
    assert.equal(linked.json.uploadUrl, null);
    assert.equal(linked.json.dub.inputSource, 'link');
    const fromLink = await dubToDone(linked.json.dub.id);
    assert.equal(fromLink.link, linkUrl);
    checkSong(await download(fromLink));
  });

  async function dubToDone(id: string): Promise<Json> {
    const pre = await api(hub, 'POST', `/v1/me/dubs/${id}/preprocess`);
    assert.equal(pre.status, 200, JSON.stringify(pre.json));
    assert.equal(pre.json.dub.status, 'preprocessing');
    const preprocessed = await until(hub, `/v1/me/dubs/${id}`, 'dub', ['preprocessed']);
    assert.equal(preprocessed.inputDuration, 20000);
    assert.equal(preprocessed.requiredCredits, 4, '10 credits per minute, rounded up');
    assert.equal(preprocessed.separationMethod, 'centre-extraction (weight-free)');
    const before = (await api(hub, 'GET', '/v1/me')).json.user.apiCredits as number;
    const gen = await api(hub, 'POST', `/v1/me/dubs/${id}/generate`);
    assert.equal(gen.status, 200, JSON.stringify(gen.json));
    assert.equal(gen.json.dub.status, 'queued');
    assert.equal(gen.json.dub.apiCreditsUsed, 4);
    assert.equal(gen.json.dub.apiCreditsLeft, before - 4);
    const done = await until(hub, `/v1/me/dubs/${id}`, 'dub', ['done'], 120_000);
    assert.equal(done.conversionEngine, 'vevo');
    assert.ok(done.completedAt);
    return done;
  }
});
