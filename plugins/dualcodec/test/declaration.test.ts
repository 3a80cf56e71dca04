import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validatePluginDeclaration } from '../../../core/plugin/validate-plugin.ts';
import plugin25 from '../25hz/index.ts';
import { readDecodeRequest } from '../decode-request.ts';
import plugin12 from '../index.ts';
import { DUALCODEC_VARIANTS } from '../variants.ts';

const plugins = [
  { plugin: plugin12, variant: DUALCODEC_VARIANTS['12hz'] },
  { plugin: plugin25, variant: DUALCODEC_VARIANTS['25hz'] },
];

describe('the DualCodec declarations', () => {
  for (const { plugin, variant } of plugins) {
    it(`'${plugin.name}' passes the hub's declaration checks`, () => {
      assert.deepEqual(validatePluginDeclaration(plugin, variant.plugin), []);
    });

    it(`'${plugin.name}' turns a frame into ${variant.hop} samples and declares its codebooks`, () => {
      assert.deepEqual(plugin.graphs.decoder.outputs[0].dims, [1, 1, `frames*${variant.hop}`]);
      assert.deepEqual(plugin.graphs.encoder.outputs.map((o) => o.vocab), [16384, variant.acousticVocab]);
      assert.equal(plugin.graphs.decoder.inputs[1].dims[1], variant.acousticLayers);
    });

    it(`'${plugin.name}' documents a decode example that its own checks accept`, () => {
      const decode = plugin.routes[1];
      const request = readDecodeRequest({ ...decode.example, tokens: JSON.stringify(decode.example!.tokens) }, variant);
      assert.deepEqual({ layers: request.grid.layers, frames: request.grid.frames }, { layers: 3, frames: 4 });
    });
  }

  it('shares the w2v-BERT contract with MaskGCT, so one exported file serves both', async () => {
    const maskgct = (await import('../../maskgct/graphs.ts')).graphs;
    assert.equal(plugin12.graphs.w2v_bert, maskgct.w2v_bert);
  });
});
