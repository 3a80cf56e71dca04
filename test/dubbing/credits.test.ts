// Credits are per key and change in one SQLite transaction with the status they pay for:
// 20 concurrent generate calls on 20 preprocessed dubs, with credits for 7 of them, start
// exactly 7 and refuse 13 with the seed's 403; 20 concurrent calls on one dub charge it once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DubbingWork } from '../../core/surfaces/dubbing/work.ts';
import type { TestHub } from '../support/test-hub.ts';
import { api, makeVoice, put, songWav, startDubbingHub, until, voiceWav, type Json } from './support.ts';

describe('dubbing credits under concurrency', () => {
  let hub: TestHub;
  let voiceId: string | undefined;
  before(async () => {
    // 50 for the voice (5 maxMinutes), then 7 one-credit dubs.
    hub = await startDubbingHub({ dubbing: { initialCredits: 57 }, jobs: { queueBound: 64 } });
  });
  after(() => hub?.stop());

  async function preprocessedDubs(voiceId: string, count: number): Promise<string[]> {
    const clip = voiceWav(1.5, 300);
    const ids = await Promise.all(
      Array.from({ length: count }, async () => {
        const created = await api(hub, 'POST', '/v1/me/dubs', { voiceId, separate: false });
        assert.equal(created.status, 200, JSON.stringify(created.json));
        assert.equal((await put(created.json.uploadUrl, clip)).status, 200);
        assert.equal((await api(hub, 'POST', `/v1/me/dubs/${created.json.dub.id}/preprocess`)).status, 200);
        return created.json.dub.id as string;
      }),
    );
    for (const id of ids) await until(hub, `/v1/me/dubs/${id}`, 'dub', ['preprocessed']);
    return ids;
  }

  it('spends each credit once: 7 of 20 concurrent generates start, 13 get insufficient_credits, and one dub is charged once', async () => {
    const voice = await makeVoice(hub, [voiceWav(3, 200)]);
    voiceId = voice.id;
    assert.equal((await api(hub, 'GET', '/v1/me')).json.user.apiCredits, 7);

    const ids = await preprocessedDubs(voice.id, 20);
    const answers = await Promise.all(ids.map((id) => api(hub, 'POST', `/v1/me/dubs/${id}/generate`)));
    const started = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 403);
    assert.equal(started.length, 7);
    assert.equal(refused.length, 13);
    for (const r of refused) assert.deepEqual(Object.keys(r.json).sort(), ['code', 'message']);
    assert.ok(refused.every((r) => r.json.code === 'insufficient_credits'));
    assert.deepEqual(started.map((a) => a.json.dub.apiCreditsLeft as number).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6], 'each start saw its own balance');
    assert.equal((await api(hub, 'GET', '/v1/me')).json.user.apiCredits, 0);

    // A refused dub stays preprocessed, free of charge.
    const refusedId = ids[answers.findIndex((a) => a.status === 403)]!;
    const still = (await api(hub, 'GET', `/v1/me/dubs/${refusedId}`)).json.dub as Json;
    assert.deepEqual([still.status, still.apiCreditsUsed, still.apiCreditsLeft], ['preprocessed', 0, null]);
    for (const a of started) await until(hub, `/v1/me/dubs/${a.json.dub.id}`, 'dub', ['done']);
  });

  it('charges one dub once when 20 generate calls race for it', async () => {
    // The operator tops the key up (the store's own call; the seed has no route for it).
    hub.container.resolve<DubbingWork>('dubbingWork').store.setCredits('dev', 10);
    const created = await api(hub, 'POST', '/v1/me/dubs', { voiceId: voiceId!, separate: false });
    await put(created.json.uploadUrl, voiceWav(1.5, 300));
    await api(hub, 'POST', `/v1/me/dubs/${created.json.dub.id}/preprocess`);
    await until(hub, `/v1/me/dubs/${created.json.dub.id}`, 'dub', ['preprocessed']);
    const answers = await Promise.all(Array.from({ length: 20 }, () => api(hub, 'POST', `/v1/me/dubs/${created.json.dub.id}/generate`)));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    assert.ok(answers.filter((a) => a.status !== 200).every((a) => a.status === 400 && a.json.code === 'dub_is_not_in_preprocessed_state'));
    assert.equal((await api(hub, 'GET', '/v1/me')).json.user.apiCredits, 9);
    await until(hub, `/v1/me/dubs/${created.json.dub.id}`, 'dub', ['done']);
  });

  it('gives the credits back when the generate task is cancelled', async () => {
    hub.container.resolve<DubbingWork>('dubbingWork').store.setCredits('dev', 10);
    const created = await api(hub, 'POST', '/v1/me/dubs', { voiceId: voiceId!, separate: false });
    await put(created.json.uploadUrl, songWav(12));
    await api(hub, 'POST', `/v1/me/dubs/${created.json.dub.id}/preprocess`);
    await until(hub, `/v1/me/dubs/${created.json.dub.id}`, 'dub', ['preprocessed']);
    const started = await api(hub, 'POST', `/v1/me/dubs/${created.json.dub.id}/generate`);
    assert.equal(started.json.dub.apiCreditsLeft, 8);
    const cancel = await fetch(`${hub.url}/api/tasks/${started.json.dub.taskId}/cancel`, { method: 'POST', headers: { 'X-API-Key': 'amphion-dev-key-change-in-production' } });
    assert.ok([200, 202].includes(cancel.status), String(cancel.status));
    const dub = await until(hub, `/v1/me/dubs/${created.json.dub.id}`, 'dub', ['error']);
    assert.deepEqual([dub.errorCode, dub.apiCreditsLeft], ['cancelled', 10]);
    assert.equal((await api(hub, 'GET', '/v1/me')).json.user.apiCredits, 10);
  });
});
