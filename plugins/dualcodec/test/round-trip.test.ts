// DualCodec over real HTTP on smoke graphs: what encode returns, and that every way of
// sending tokens back decodes to a WAV of exactly the encoded clip's length at 24 kHz.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestHub } from '../../../test/support/test-hub.ts';
import { clip, graphStatus, jsonOf, postForm, postJson, startCodecHub, wavOf } from '../../codec-tokens/test-support.ts';
import { DUALCODEC_VARIANTS } from '../variants.ts';

const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-dualcodec.json');

interface Encoded {
  tokens: number[][];
  sample_rate: number;
  variant: string;
  n_quantizers: number;
  frame_rate: number;
  frames: number;
  length: number;
}

describe('DualCodec 12.5 Hz encode → decode on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startCodecHub(REGISTRY);
  });
  after(() => hub.stop());

  const encode = async (samples: number, sampleRate = 24000, fields: Record<string, unknown> = {}) =>
    jsonOf<Encoded>(await postForm(hub, '/api/codec/dualcodec/encode', fields, { audio: clip(samples, sampleRate) }));

  it('decodes without loading the semantic front or the encoder', async () => {
    // The first call on this hub: nothing has been loaded by an encode yet.
    const { samples } = await wavOf(await postForm(hub, '/api/codec/dualcodec/decode', { tokens: [[1, 2, 3], [4, 5, 6]] }));
    assert.equal(samples.length, 3 * 1920);
    const status = graphStatus(hub, 'dualcodec');
    assert.equal(status.decoder!.loaded, true);
    assert.equal(status.w2v_bert!.loaded, false);
    assert.equal(status.encoder!.loaded, false);
  });

  it('returns layers × frames tokens with everything decode needs', async () => {
    const encoded = await encode(24000);
    assert.deepEqual(
      { sample_rate: encoded.sample_rate, variant: encoded.variant, n_quantizers: encoded.n_quantizers, frame_rate: encoded.frame_rate, frames: encoded.frames, length: encoded.length },
      { sample_rate: 24000, variant: '12hz', n_quantizers: 8, frame_rate: 12.5, frames: 13, length: 24000 },
    );
    assert.equal(encoded.tokens.length, 8);
    for (const row of encoded.tokens) assert.equal(row.length, 13);
    assert.ok(encoded.tokens[0]!.every((id) => Number.isInteger(id) && id >= 0 && id < 16384));
    for (const row of encoded.tokens.slice(1)) assert.ok(row.every((id) => Number.isInteger(id) && id >= 0 && id < 4096));
  });

  it('keeps n_quantizers layers: 1 is the semantic layer alone', async () => {
    assert.equal((await encode(5000, 24000, { n_quantizers: 1 })).tokens.length, 1);
    assert.equal((await encode(5000, 24000, { n_quantizers: 3 })).tokens.length, 3);
  });

  it('counts length in 24 kHz samples whatever the upload rate', async () => {
    const encoded = await encode(16000, 16000);
    assert.equal(encoded.length, 24000);
    assert.equal(encoded.frames, 13);
  });

  it('gives back exactly the input length when the whole encode response is the JSON body', async () => {
    for (const samples of [1, 1919, 1920, 1921, 17519]) {
      const encoded = await encode(samples);
      assert.equal(encoded.frames, Math.ceil(samples / 1920), `frames for ${samples}`);
      const res = await postJson(hub, '/api/codec/dualcodec/decode', encoded);
      const wav = await wavOf(res);
      assert.equal(res.headers.get('x-sample-rate'), '24000');
      assert.deepEqual({ length: wav.samples.length, rate: wav.sampleRate }, { length: samples, rate: 24000 }, `${samples} samples`);
    }
  });

  it('takes the encode response as the tokens text field, or tokens and length as separate fields', async () => {
    const encoded = await encode(30000, 24000, { n_quantizers: 4 });
    const whole = await wavOf(await postForm(hub, '/api/codec/dualcodec/decode', { tokens: JSON.stringify(encoded) }));
    assert.equal(whole.samples.length, 30000);
    const separate = await wavOf(await postForm(hub, '/api/codec/dualcodec/decode', { tokens: JSON.stringify(encoded.tokens), length: '30000' }));
    assert.equal(separate.samples.length, 30000);
    const json = await wavOf(await postJson(hub, '/api/codec/dualcodec/decode', { tokens: encoded.tokens, length: 30000 }));
    assert.equal(json.samples.length, 30000);
  });

  it('gives frames × hop samples when no length is given', async () => {
    const { samples } = await wavOf(await postJson(hub, '/api/codec/dualcodec/decode', { tokens: [[7, 8, 9, 10, 11]] }));
    assert.equal(samples.length, 5 * 1920);
  });

  it('decodes a grid longer than one piece to exactly frames × hop samples', async () => {
    const frames = DUALCODEC_VARIANTS['12hz'].chunking.chunkFrames * 2 + 37;
    const tokens = [Array.from({ length: frames }, (_, i) => (i * 37) % 16384), Array.from({ length: frames }, (_, i) => (i * 11) % 4096)];
    const { samples } = await wavOf(await postJson(hub, '/api/codec/dualcodec/decode', { tokens, length: frames * 1920 - 5 }));
    assert.equal(samples.length, frames * 1920 - 5);
  });
});

describe('DualCodec 25 Hz encode → decode on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startCodecHub(REGISTRY);
  });
  after(() => hub.stop());

  it('encodes 1 semantic + 11 acoustic layers at 25 frames per second, ids within 1024', async () => {
    const encoded = await jsonOf<Encoded>(await postForm(hub, '/api/codec/dualcodec-25hz/encode', {}, { audio: clip(24000, 24000) }));
    assert.deepEqual({ variant: encoded.variant, layers: encoded.tokens.length, frames: encoded.frames, frame_rate: encoded.frame_rate }, { variant: '25hz', layers: 12, frames: 25, frame_rate: 25 });
    for (const row of encoded.tokens.slice(1)) assert.ok(row.every((id) => id >= 0 && id < 1024));
  });

  it('gives back exactly the input length', async () => {
    for (const samples of [959, 961, 24000]) {
      const encoded = await jsonOf<Encoded>(await postForm(hub, '/api/codec/dualcodec-25hz/encode', { n_quantizers: 5 }, { audio: clip(samples, 24000) }));
      const { samples: out, sampleRate } = await wavOf(await postJson(hub, '/api/codec/dualcodec-25hz/decode', encoded));
      assert.deepEqual({ length: out.length, sampleRate }, { length: samples, sampleRate: 24000 });
    }
  });
});
