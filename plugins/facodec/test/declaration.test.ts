import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validatePluginDeclaration } from '../../../core/plugin/validate-plugin.ts';
import { readDecodeRequest } from '../decode-request.ts';
import plugin from '../index.ts';
import { decodeRoute } from '../routes.ts';

describe('the FACodec declaration', () => {
  it('passes the hub\'s declaration checks', () => {
    assert.deepEqual(validatePluginDeclaration(plugin, 'facodec'), []);
  });

  it('declares the codebook of every id output, so smoke graphs stay in range', () => {
    for (const graph of Object.values(plugin.graphs)) {
      for (const output of graph.outputs) if (output.type === 'int64') assert.equal('vocab' in output && output.vocab, 1024, output.name);
    }
  });

  it('documents a decode example that its own checks accept', () => {
    const request = readDecodeRequest({ tokens: JSON.stringify(decodeRoute.example!.tokens), use_residual: true });
    assert.deepEqual({ frames: request.codes.content.frames, residual: request.codes.residual?.layers, length: request.length }, { frames: 4, residual: 3, length: 650 });
  });
});
