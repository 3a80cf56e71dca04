// Dubbing work lives on the hub's durable task queue: a hub that stops while one generate
// runs and another waits comes back (same data folder) and finishes both — the interrupted
// one runs again (the kinds are idempotent), the queued one runs — with credits charged once.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestHub } from '../support/test-hub.ts';
import { api, makeVoice, put, songWav, startDubbingHub, until, voiceWav } from './support.ts';

describe('dubbing jobs across a restart', () => {
  it('finishes a running and a queued generate after the hub restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dub-restart-'));
    // One generate at a time, so the second waits in the queue; 24 kHz keeps it quick.
    const settings = { dataDir, server: { shutdownGraceMs: 100 }, dubbing: { sampleRate: 24000 }, jobs: { persistIntervalMs: 0, plugins: { 'hub:dub-generate': { concurrency: 1 } } } };
    let first: TestHub | undefined;
    let second: TestHub | undefined;
    try {
      first = await startDubbingHub(settings);
      const hub = first;
      const voice = await makeVoice(hub, [voiceWav(3, 200)]);
      const ids: string[] = [];
      for (const seconds of [12, 2]) {
        const created = await api(hub, 'POST', '/v1/me/dubs', { voiceId: voice.id, separate: false });
        await put(created.json.uploadUrl, songWav(seconds));
        await api(hub, 'POST', `/v1/me/dubs/${created.json.dub.id}/preprocess`);
        await until(hub, `/v1/me/dubs/${created.json.dub.id}`, 'dub', ['preprocessed']);
        ids.push(created.json.dub.id as string);
      }
      for (const id of ids) assert.equal((await api(hub, 'POST', `/v1/me/dubs/${id}/generate`)).status, 200);
      const credits = (await api(hub, 'GET', '/v1/me')).json.user.apiCredits as number;
      await first.close(); // the data folder stays: close, not stop
      first = undefined;

      second = await startDubbingHub(settings);
      for (const id of ids) {
        const dub = await until(second, `/v1/me/dubs/${id}`, 'dub', ['done'], 120_000);
        assert.ok(dub.dubUrl);
      }
      assert.equal((await api(second, 'GET', '/v1/me')).json.user.apiCredits, credits, 'charged once');
    } finally {
      await first?.stop();
      await second?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
