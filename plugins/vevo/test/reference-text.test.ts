// Vevo-TTS without `reference_text`: the installed speech recogniser transcribes the reference
// (at 16 kHz, once), and the request is served; without a recogniser it is refused naming the field
// (routes.test.ts). The recogniser is MaskGCT's test fixture, which hears one scripted sentence.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';
import { calls } from '../../maskgct/test/fixtures/asr-fixture/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-vevo-asr.json');

describe('Vevo-TTS with the reference transcribed', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('asks the installed ASR what the reference says, at 16 kHz, and speaks', async () => {
    calls.length = 0;
    const form = new FormData();
    for (const [k, v] of Object.entries({ text: 'Hello there.', flow_matching_steps: 1, max_new_tokens: 3, seed: 1 })) form.set(k, String(v));
    form.set('reference_audio', wavBlobFor({ seconds: 1, sampleRate: 24000, frequency: 180 }), 'reference.wav');
    const res = await hub.call('/api/tts/vevo', { method: 'POST', body: form });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(calls.map((c) => [c.samples, c.sampleRate]), [[16000, 16000]]);
  });
});
