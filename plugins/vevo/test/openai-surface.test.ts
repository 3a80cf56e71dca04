// Vevo-TTS behind the OpenAI-compatible surface: a registered reference voice is the voice (and
// style) it imitates; without one it asks for one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { DEV_KEY, startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';
import { sine, wavBytes } from '../../../test/support/wav.ts';
import type { PluginRuntime } from '../../../core/plugin/runtime.ts';
import { vevoTts } from '../capability.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-vevo.json');

const speak = (hub: TestHub, body: Record<string, unknown>) =>
  hub.call('/v1/audio/speech', { method: 'POST', headers: { authorization: `Bearer ${DEV_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Vevo through /v1/audio/speech', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY, openai: { defaultModel: 'vevo' } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
    const form = new FormData();
    form.set('id', 'narrator');
    form.set('text', 'This is the reference voice.');
    form.set('audio', wavBlobFor({ seconds: 0.5, sampleRate: 24000, frequency: 150 }), 'voice.wav');
    const added = await hub.call('/v1/references/add', { method: 'POST', body: form });
    assert.equal(added.status, 201, await added.clone().text());
  });
  after(() => hub.stop());

  it('hands the registered reference voice to the capability, which reads it as `voice`', async () => {
    // The surface asks for at least 100 AR tokens, slow on smoke caches (12 × 16 × 120 values per
    // position): a reference past Vevo's 20 s limit stops after the clip is read, before the graphs.
    const form = new FormData();
    form.set('id', 'long');
    form.set('text', 'A long reference.');
    form.set('audio', wavBlobFor({ seconds: 21, sampleRate: 24000, frequency: 150 }), 'long.wav');
    const added = await hub.call('/v1/references/add', { method: 'POST', body: form });
    assert.equal(added.status, 201, await added.clone().text());
    const res = await speak(hub, { model: 'vevo', input: 'Hello there.', voice: 'long', response_format: 'wav', max_new_tokens: 100 });
    assert.equal(res.status, 422, await res.clone().text());
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /^voice: is 21\.0 s long; the limit is 20 s/);
  });

  it('speaks through the capability with the reference voice', async () => {
    const runtime = hub.container.resolve<PluginRuntime>('runtime');
    const ctx = runtime.contextFor('vevo', { signal: new AbortController().signal, requestId: 'capability' });
    const reference = { bytes: wavBytes(sine({ seconds: 1, sampleRate: 24000, frequency: 150 }), 24000), format: 'wav', text: 'This is the reference voice.' };
    const { audio, sampleRate } = await vevoTts.synthesize({ text: 'Hello there.', reference, sampling: { max_new_tokens: 4 }, seed: 2 }, ctx);
    assert.equal(sampleRate, 24000);
    // 49 HuBERT frames + 4 AR tokens − 50 prompt mel frames
    assert.equal(audio.length, 3 * 480);
  });

  it('asks for a reference voice when given none', async () => {
    const res = await speak(hub, { model: 'vevo', input: 'Hello there.', voice: 'alloy', response_format: 'wav' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { param?: string; message: string } };
    assert.equal(body.error.param, 'voice');
    assert.match(body.error.message, /reference clip/);
  });
});
