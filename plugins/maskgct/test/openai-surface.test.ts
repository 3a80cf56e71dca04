// MaskGCT behind the OpenAI-compatible surface: a registered reference voice is the voice
// it clones; without one it asks for one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { DEV_KEY, startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-maskgct.json');

const speak = (hub: TestHub, body: Record<string, unknown>) =>
  hub.call('/v1/audio/speech', { method: 'POST', headers: { authorization: `Bearer ${DEV_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('MaskGCT through /v1/audio/speech', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY, openai: { defaultModel: 'maskgct' } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
    const form = new FormData();
    form.set('id', 'narrator');
    form.set('text', 'This is the reference voice.');
    form.set('audio', wavBlobFor({ seconds: 1.5, sampleRate: 24000, frequency: 150 }), 'voice.wav');
    const added = await hub.call('/v1/references/add', { method: 'POST', body: form });
    assert.equal(added.status, 201, await added.clone().text());
  });
  after(() => hub.stop());

  it('lists registered reference voices as its voices', async () => {
    const voices = (await (await hub.call('/v1/voices?model=maskgct')).json()) as { data: { id: string; type: string }[] };
    assert.deepEqual(voices.data.map((v) => `${v.id}:${v.type}`), ['narrator:reference']);
  });

  it('speaks in a registered reference voice', async () => {
    const res = await speak(hub, { model: 'maskgct', input: 'Hello there.', voice: 'narrator', response_format: 'wav' });
    assert.equal(res.status, 200, await res.clone().text());
    const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
    assert.equal(wav.sampleRate, 24000);
    assert.ok(wav.audioChannels[0]!.length > 0);
  });

  it('asks for a reference voice when given none', async () => {
    const res = await speak(hub, { model: 'maskgct', input: 'Hello there.', voice: 'alloy', response_format: 'wav' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { param?: string; message: string } };
    assert.equal(body.error.param, 'voice');
    assert.match(body.error.message, /reference clip/);
  });
});
