import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import plugin from '../index.ts';
import { validatePluginDeclaration } from '../../../core/plugin/validate-plugin.ts';

describe('the MaskGCT declaration', () => {
  it('passes the hub\'s declaration checks', () => {
    assert.deepEqual(validatePluginDeclaration(plugin, 'maskgct'), []);
  });

  it('prefers the GPU for every graph', () => {
    for (const [name, graph] of Object.entries(plugin.graphs)) assert.equal(graph.device, 'gpu', name);
  });

  it('declares the vocabulary of every id output, so smoke graphs stay in range', () => {
    for (const graph of Object.values(plugin.graphs)) {
      for (const output of graph.outputs) if (output.type === 'int64') assert.ok('vocab' in output && output.vocab, `${graph.file}: ${output.name}`);
    }
  });

  it('accepts the existing implementation\'s field names as aliases', () => {
    const route = plugin.routes[0];
    assert.deepEqual(route.fields.properties.language['x-aliases'], ['target_language']);
    assert.deepEqual(route.fields.properties.target_duration['x-aliases'], ['target_len']);
    assert.deepEqual(route.uploads?.[0]?.aliases, ['audio']);
  });

  it('offers the tts capability as a voice cloner', () => {
    assert.ok(plugin.capabilities.tts.supports?.includes('reference'));
  });
});
