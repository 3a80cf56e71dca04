// MaskGCT as the voice studio's engine (its default when the configured one is absent):
// a profile's sample is the reference it clones, and the studio's `seed` makes a
// generation repeatable: the same seed gives the same samples.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-maskgct.json');
const post = (hub: TestHub, path: string, body: unknown) => hub.call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('MaskGCT behind the voice studio', () => {
  let hub: TestHub;
  let profile: string;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
    profile = ((await (await post(hub, '/profiles', { name: 'Narrator' })).json()) as { id: string }).id;
    const form = new FormData();
    form.set('reference_text', 'This is the reference voice.');
    form.set('file', wavBlobFor({ seconds: 1.5, sampleRate: 24000, frequency: 150 }), 'voice.wav');
    const added = await hub.call(`/profiles/${profile}/samples`, { method: 'POST', body: form });
    assert.equal(added.status, 200, await added.clone().text());
  });
  after(() => hub.stop());

  const generate = async (seed: number) => {
    const res = await post(hub, '/generate', { profile_id: profile, text: 'Hello there.', seed });
    assert.equal(res.status, 200, await res.clone().text());
    const { id } = (await res.json()) as { id: string };
    const wav = decodeWaveToFloat32Channels(new Uint8Array(await (await hub.call(`/audio/${id}`)).arrayBuffer()));
    assert.equal(wav.sampleRate, 24000);
    return wav.audioChannels[0]!;
  };

  it("clones the profile's sample, repeatably for a given seed", async () => {
    const first = await generate(11);
    const again = await generate(11);
    assert.ok(first.length > 0);
    assert.deepEqual(again, first, 'the same seed gives the same audio');
    const history = (await (await hub.call('/history')).json()) as { total: number; items: { seed: number }[] };
    assert.equal(history.total, 2);
    assert.deepEqual(history.items.map((i) => i.seed), [11, 11]);
  });
});
