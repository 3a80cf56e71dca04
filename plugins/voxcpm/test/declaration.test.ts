// The three generations as data: each declaration passes the hub's boot checks, the rates hold
// together (25 Hz latents in and out), and the graph contracts follow the variant's sizes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validatePluginDeclaration } from '../../../core/plugin/validate-plugin.ts';
import voxcpm15 from '../1.5/index.ts';
import voxcpm2 from '../2/index.ts';
import voxcpm from '../index.ts';
import { VARIANTS, VOXCPM } from '../variants.ts';

const plugins = [
  [voxcpm, 'voxcpm', VARIANTS['0.5B']],
  [voxcpm15, 'voxcpm15', VARIANTS['1.5']],
  [voxcpm2, 'voxcpm2', VARIANTS['2']],
] as const;

describe('the VoxCPM declarations', () => {
  for (const [plugin, name, variant] of plugins) {
    it(`${name} passes the hub's declaration checks and speaks at ${variant.decoder.sampleRate} Hz`, () => {
      assert.deepEqual(validatePluginDeclaration(plugin, name), []);
      assert.equal(plugin.sampleRate, variant.decoder.sampleRate);
      assert.equal(plugin.routes[0].path, `/tts/${name}`);
      assert.ok(plugin.capabilities.tts.supports?.includes('reference'));
      assert.ok(plugin.capabilities.tts.supports?.includes('cfg_value'));
    });

    it(`${name}: latents are 25 Hz on both sides of the AudioVAE, and the caches have the LM's shape`, () => {
      assert.equal(variant.encoder.sampleRate / variant.encoder.hop, 25);
      assert.equal(variant.decoder.sampleRate / variant.decoder.hop, 25);
      const { base_lm, residual_lm, loc_dit, loc_enc } = plugin.graphs;
      assert.deepEqual(base_lm.inputs[1]!.dims, [variant.lm.layers, 1, variant.lm.kvHeads, 'past', variant.lm.headDim]);
      assert.deepEqual(residual_lm.outputs[1]!.dims, [variant.residualLayers, 1, variant.lm.kvHeads, 'past+tokens', variant.lm.headDim]);
      assert.deepEqual(loc_dit.inputs[0]!.dims, ['batch', 64, variant.patchSize]);
      assert.deepEqual(loc_enc.inputs[0]!.dims, [1, 'patches', variant.patchSize, 64]);
      for (const graph of Object.values(plugin.graphs)) assert.equal(graph.device, 'gpu', graph.file);
    });
  }

  it('shares one set of graph names and one route schema across the generations (data, not code branches)', () => {
    const names = plugins.map(([p]) => Object.keys(p.graphs).join(','));
    assert.equal(new Set(names).size, 1);
    const fields = plugins.map(([p]) => JSON.stringify(Object.keys(p.routes[0].fields.properties)));
    assert.equal(new Set(fields).size, 1);
  });

  it('defaults cfg_value to 2.0 and inference_timesteps to 10, as VoxCPM does', () => {
    const { properties } = voxcpm.routes[0].fields;
    assert.equal(properties.cfg_value.default, VOXCPM.cfgValue);
    assert.equal(VOXCPM.cfgValue, 2);
    assert.equal(properties.inference_timesteps.default, 10);
  });
});
