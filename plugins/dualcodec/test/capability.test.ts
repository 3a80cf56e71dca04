// DualCodec's `dualcodec-codec` capability, as another plugin reaches it: found by kind and
// plugin name while DualCodec has weights, its encode gives the grid the encode route gives,
// and its decode gives frames × hop samples; absent while the weights are missing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PluginRuntime } from '../../../core/plugin/runtime.ts';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';
import { clip, jsonOf, postForm, startCodecHub } from '../../codec-tokens/test-support.ts';
import { DUALCODEC_CODEC, type DualcodecCodec } from '../../dualcodec-common/codec.ts';

const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-dualcodec.json');

function providerOf(hub: TestHub, plugin: string) {
  return hub.container.resolve<PluginRuntime>('runtime').find<DualcodecCodec>(DUALCODEC_CODEC, plugin);
}

describe("DualCodec's dualcodec-codec capability on smoke graphs", () => {
  let hub: TestHub;
  before(async () => {
    hub = await startCodecHub(REGISTRY);
  });
  after(() => hub.stop());

  it('encodes a clip as the encode route does, and decodes a grid to frames × hop samples', async () => {
    const provider = providerOf(hub, 'dualcodec');
    assert.ok(provider, 'dualcodec offers dualcodec-codec');
    const codec = provider.capability;
    assert.deepEqual({ modelId: codec.modelId, hop: codec.hop, acousticLayers: codec.acousticLayers, acousticVocab: codec.acousticVocab }, { modelId: '12hz_v1', hop: 1920, acousticLayers: 7, acousticVocab: 4096 });
    await provider.ready();
    const ctx = provider.context({ signal: new AbortController().signal, requestId: 'capability-test' });
    const samples = new Float32Array(24000).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / 24000));
    const grid = await codec.encode(samples, 8, ctx);
    assert.deepEqual({ layers: grid.layers, frames: grid.frames }, { layers: 8, frames: 13 });
    const route = await jsonOf<{ tokens: number[][] }>(await postForm(hub, '/api/codec/dualcodec/encode', {}, { audio: clip(24000, 24000) }));
    assert.equal(route.tokens.length, grid.layers);
    assert.equal(route.tokens[0]!.length, grid.frames);
    const audio = await codec.decode(grid, ctx);
    assert.equal(audio.length, 13 * 1920);
  });

  it('is offered by the 25 Hz plugin with its own hop and codebooks', () => {
    const codec = providerOf(hub, 'dualcodec-25hz')?.capability;
    assert.ok(codec);
    assert.deepEqual({ modelId: codec.modelId, hop: codec.hop, acousticLayers: codec.acousticLayers }, { modelId: '25hz_v1', hop: 960, acousticLayers: 11 });
  });
});

describe("DualCodec's capability without weights", () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY });
  });
  after(() => hub.stop());

  it('is not offered while the weights are missing', () => {
    assert.equal(providerOf(hub, 'dualcodec'), undefined);
  });
});
