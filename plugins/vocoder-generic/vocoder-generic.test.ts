// /api/vocoder/generic: the names come from the registry, each runs the named vocoder with
// that vocoder's own mel, and a name nobody provides is "not installed".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { wavBlobFor, type TestHub } from '../../test/support/test-hub.ts';
import { detailOf, melData, npyBlob, post, startVocoderHub, wavOf } from '../mel-vocoder/test-support.ts';

describe('POST /api/vocoder/generic', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startVocoderHub();
  });
  after(() => hub.stop());

  it('documents exactly the registered vocoders as the allowed names', async () => {
    const document = (await (await hub.call('/api/openapi.json')).json()) as Record<string, any>;
    const field = document.paths['/api/vocoder/generic'].post.requestBody.content['multipart/form-data'].schema.properties.vocoder_name;
    assert.deepEqual(field.enum, ['bigvgan', 'bigvgan-512x', 'griffinlim', 'hifigan', 'nsf_hifigan']);
  });

  it('runs the named vocoder with its own mel and says which one ran, in which weight state', async () => {
    const hifigan = await post(hub, '/api/vocoder/generic', { blob: npyBlob(melData(80, 10), [80, 10]), name: 'mel.npy' }, { vocoder_name: 'hifigan' });
    assert.deepEqual([hifigan.headers.get('x-vocoder'), hifigan.headers.get('x-weight-state')], ['hifigan', 'smoke']);
    assert.deepEqual(Object.values(await wavOf(hifigan)).map((v) => (typeof v === 'number' ? v : v.length)), [10 * 256, 22050]);

    const bigvgan = await post(hub, '/api/vocoder/generic', { blob: wavBlobFor({ seconds: 0.25, sampleRate: 48000 }), name: 'a.wav' }, { vocoder_name: 'bigvgan' });
    assert.equal(bigvgan.headers.get('x-vocoder'), 'bigvgan');
    assert.equal((await wavOf(bigvgan)).sampleRate, 24000);

    const griffinlim = await post(hub, '/api/vocoder/generic', { blob: npyBlob(melData(80, 10), [80, 10]), name: 'mel.npy' }, { vocoder_name: 'griffinlim' });
    assert.deepEqual([griffinlim.headers.get('x-vocoder'), griffinlim.headers.get('x-weight-state')], ['griffinlim', 'weight-free']);
    assert.equal((await wavOf(griffinlim)).samples.length, 10 * 256);
  });

  it('checks a .npy mel against the bins of the vocoder it names', async () => {
    const res = await post(hub, '/api/vocoder/generic', { blob: npyBlob(melData(80, 10), [80, 10]), name: 'mel.npy' }, { vocoder_name: 'bigvgan' });
    assert.equal(res.status, 400);
    assert.match(await detailOf(res), /mel must have 100 bins/);
  });

  it('answers a name no plugin provides as not installed, listing what is', async () => {
    const res = await post(hub, '/api/vocoder/generic', { blob: npyBlob(melData(80, 10), [80, 10]), name: 'mel.npy' }, { vocoder_name: 'melgan' });
    // a well-typed value outside the allowed names: 422, as for any value outside its declared choices
    assert.equal(res.status, 422);
    assert.equal(await detailOf(res), "vocoder_name: 'melgan' is not installed: no registered plugin of that name offers 'vocoder' (installed: bigvgan, bigvgan-512x, griffinlim, hifigan, nsf_hifigan)");
  });

  it('requires vocoder_name', async () => {
    const res = await post(hub, '/api/vocoder/generic', { blob: npyBlob(melData(80, 10), [80, 10]), name: 'mel.npy' });
    assert.equal(res.status, 400);
    assert.equal(await detailOf(res), 'vocoder_name: is required');
  });
});
