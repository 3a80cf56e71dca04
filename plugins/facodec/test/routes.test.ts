// FACodec over real HTTP on smoke graphs: the factorised encode response, decode back to a
// 16 kHz WAV of the input's length in every form the tokens may come, and voice conversion
// (a route taking two clips, and decode with another clip's speaker embedding).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestHub } from '../../../test/support/test-hub.ts';
import { clip, graphStatus, jsonOf, postForm, postJson, startCodecHub, wavOf } from '../../codec-tokens/test-support.ts';
import { FACODEC } from '../settings.ts';

const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-facodec.json');

interface Encoded {
  content_tokens: number[][];
  prosody_tokens: number[][];
  timbre_tokens: number[][];
  speaker_embedding: number[];
  sample_rate: number;
  frame_rate: number;
  frames: number;
  length: number;
}

describe('FACodec on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startCodecHub(REGISTRY);
  });
  after(() => hub.stop());

  const encode = async (samples: number, sampleRate = 16000) => jsonOf<Encoded>(await postForm(hub, '/api/codec/facodec/encode', {}, { audio: clip(samples, sampleRate) }));

  it('decodes without loading the encoder', async () => {
    const body = {
      content_tokens: [[1, 2], [3, 4]],
      prosody_tokens: [[5, 6]],
      speaker_embedding: new Array(256).fill(0.1),
    };
    const { samples, sampleRate } = await wavOf(await postJson(hub, '/api/codec/facodec/decode', body));
    assert.deepEqual({ length: samples.length, sampleRate }, { length: 2 * 200, sampleRate: 16000 });
    const status = graphStatus(hub, 'facodec');
    assert.deepEqual({ decoder: status.decoder!.loaded, encoder: status.encoder!.loaded }, { decoder: true, encoder: false });
  });

  it('encodes 1 prosody, 2 content and 3 residual layers at 80 frames per second, with a 256-dim speaker embedding', async () => {
    const encoded = await encode(16000);
    assert.deepEqual(
      { sample_rate: encoded.sample_rate, frame_rate: encoded.frame_rate, frames: encoded.frames, length: encoded.length },
      { sample_rate: 16000, frame_rate: 80, frames: 80, length: 16000 },
    );
    assert.deepEqual([encoded.prosody_tokens.length, encoded.content_tokens.length, encoded.timbre_tokens.length], [1, 2, 3]);
    for (const row of [...encoded.prosody_tokens, ...encoded.content_tokens, ...encoded.timbre_tokens]) {
      assert.equal(row.length, 80);
      assert.ok(row.every((id) => Number.isInteger(id) && id >= 0 && id < 1024));
    }
    assert.equal(encoded.speaker_embedding.length, 256);
    assert.ok(encoded.speaker_embedding.every((v) => Number.isFinite(v) && Number(v.toPrecision(9)) === v), 'float32 values, 9 significant digits');
  });

  it('gives back exactly the input length when the whole encode response is the JSON body', async () => {
    for (const samples of [1, 199, 200, 201, 23999]) {
      const encoded = await encode(samples);
      assert.equal(encoded.frames, Math.ceil(samples / 200));
      const res = await postJson(hub, '/api/codec/facodec/decode', encoded);
      const wav = await wavOf(res);
      assert.equal(res.headers.get('x-sample-rate'), '16000');
      assert.deepEqual({ length: wav.samples.length, rate: wav.sampleRate }, { length: samples, rate: 16000 }, `${samples} samples`);
    }
  });

  it('counts length in 16 kHz samples whatever the upload rate', async () => {
    const encoded = await encode(24000, 24000);
    assert.deepEqual({ length: encoded.length, frames: encoded.frames }, { length: 16000, frames: 80 });
  });

  it('takes the encode response as the tokens text field (the seed\'s form), or its fields one by one', async () => {
    const encoded = await encode(5000);
    const whole = await wavOf(await postForm(hub, '/api/codec/facodec/decode', { tokens: JSON.stringify(encoded) }));
    assert.equal(whole.samples.length, 5000);
    const { content_tokens, prosody_tokens, timbre_tokens, speaker_embedding, length } = encoded;
    const fields = await wavOf(await postForm(hub, '/api/codec/facodec/decode', { content_tokens, prosody_tokens, timbre_tokens, speaker_embedding, length: String(length) }));
    assert.equal(fields.samples.length, 5000);
  });

  it('decodes prosody and content alone, with the residual codes absent or switched off', async () => {
    const encoded = await encode(3000);
    const { timbre_tokens: _dropped, ...withoutResidual } = encoded;
    assert.equal((await wavOf(await postJson(hub, '/api/codec/facodec/decode', withoutResidual))).samples.length, 3000);
    assert.equal((await wavOf(await postJson(hub, '/api/codec/facodec/decode', { ...encoded, use_residual: false }))).samples.length, 3000);
  });

  it('speaks one clip\'s codes in another clip\'s voice when a speaker_embedding comes beside tokens', async () => {
    const source = await encode(8000);
    const other = await encode(12000, 16000);
    const own = await wavOf(await postForm(hub, '/api/codec/facodec/decode', { tokens: JSON.stringify(source) }));
    const converted = await wavOf(await postForm(hub, '/api/codec/facodec/decode', { tokens: JSON.stringify(source), speaker_embedding: JSON.stringify(other.speaker_embedding.map((v) => -v)) }));
    assert.equal(converted.samples.length, 8000);
    assert.notDeepEqual(converted.samples, own.samples, 'the speaker embedding reaches the decoder');
  });

  it('converts a clip to another voice through POST /api/codec/facodec/convert, keeping the source length', async () => {
    const res = await postForm(hub, '/api/codec/facodec/convert', {}, { source_audio: clip(9100, 16000), reference_audio: clip(30000, 24000) });
    const { samples, sampleRate } = await wavOf(res);
    assert.deepEqual({ length: samples.length, sampleRate }, { length: 9100, sampleRate: 16000 });
    const kept = await wavOf(await postForm(hub, '/api/codec/facodec/convert', { use_residual: 'true' }, { source_audio: clip(9100, 16000), target_audio: clip(30000, 24000) }));
    assert.equal(kept.samples.length, 9100);
  });

  it('decodes a sequence longer than one piece to exactly frames × hop samples', async () => {
    const frames = FACODEC.chunking.chunkFrames + 333;
    const row = (k: number) => Array.from({ length: frames }, (_, i) => (i * k) % 1024);
    const body = { content_tokens: [row(3), row(5)], prosody_tokens: [row(7)], timbre_tokens: [row(11), row(13), row(17)], speaker_embedding: new Array(256).fill(0.2) };
    const { samples } = await wavOf(await postJson(hub, '/api/codec/facodec/decode', body));
    assert.equal(samples.length, frames * 200);
  });
});
