// Every way a FACodec decode payload can be wrong, over HTTP: each is a 400 whose detail
// names the stream, the position and the allowed range, and none reaches the decoder graph.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestHub } from '../../../test/support/test-hub.ts';
import { assertRefused, detailOf, graphStatus, postForm, postJson, startCodecHub } from '../../codec-tokens/test-support.ts';

const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-facodec.json');
const DECODE = '/api/codec/facodec/decode';

const row = (length: number, id = 1) => new Array<number>(length).fill(id);
const VALID = {
  content_tokens: [row(3), row(3)],
  prosody_tokens: [row(3)],
  timbre_tokens: [row(3), row(3), row(3)],
  speaker_embedding: row(256, 0.25),
};
const without = (name: keyof typeof VALID) => Object.fromEntries(Object.entries(VALID).filter(([key]) => key !== name));

const CASES: readonly { what: string; body: Record<string, unknown>; detail: string | RegExp; status?: number }[] = [
  { what: 'no content tokens', body: without('content_tokens'), detail: 'content_tokens: is required (send it, or the whole encode response as tokens)' },
  { what: 'no prosody tokens', body: without('prosody_tokens'), detail: 'prosody_tokens: is required (send it, or the whole encode response as tokens)' },
  { what: 'no speaker embedding', body: without('speaker_embedding'), detail: 'speaker_embedding: is required (send it, or the whole encode response as tokens)' },
  { what: 'one content layer', body: { ...VALID, content_tokens: [row(3)] }, detail: "content_tokens: has 1 layer; expected 2 (FACodec's content quantiser has 2 layers)" },
  { what: 'two prosody layers', body: { ...VALID, prosody_tokens: [row(3), row(3)] }, detail: "prosody_tokens: has 2 layers; expected 1 (FACodec's prosody quantiser has 1 layer)" },
  { what: 'four residual layers', body: { ...VALID, timbre_tokens: [row(3), row(3), row(3), row(3)] }, detail: "timbre_tokens: has 4 layers; expected 3 (FACodec's residual (acoustic detail) quantiser has 3 layers)" },
  { what: 'a flat prosody list', body: { ...VALID, prosody_tokens: [1, 2, 3] }, detail: /^prosody_tokens: must be layers × frames: .*a single layer is written \[\[\.\.\.\]\]$/ },
  { what: 'ragged content layers', body: { ...VALID, content_tokens: [row(3), row(4)] }, detail: 'content_tokens[1]: has 4 frames, but content_tokens[0] has 3; every layer needs the same number of frames' },
  { what: 'streams of different lengths', body: { ...VALID, content_tokens: [row(4), row(4)] }, detail: 'content_tokens: has 4 frames, but prosody_tokens has 3; every stream needs the same number of frames' },
  { what: 'residual codes of another length', body: { ...VALID, timbre_tokens: [row(2), row(2), row(2)] }, detail: 'timbre_tokens: has 2 frames, but prosody_tokens has 3; every stream needs the same number of frames' },
  { what: 'more frames than 600 s', body: { ...VALID, prosody_tokens: [row(48001)] }, detail: 'prosody_tokens: has 48001 frames, more than the limit of 48000 (600 s at 80 frames/s)' },
  { what: 'a content id past 1023', body: { ...VALID, content_tokens: [row(3), [0, 1024, 0]] }, detail: 'content_tokens[1][1]: id 1024 is outside the content codebook (0..1023)' },
  { what: 'a negative prosody id', body: { ...VALID, prosody_tokens: [[0, 0, -3]] }, detail: 'prosody_tokens[0][2]: id -3 is outside the prosody codebook (0..1023)' },
  { what: 'a residual id past 1023', body: { ...VALID, timbre_tokens: [row(3), row(3), [5000, 0, 0]] }, detail: 'timbre_tokens[2][0]: id 5000 is outside the residual (acoustic detail) codebook (0..1023)' },
  { what: 'a fractional id', body: { ...VALID, content_tokens: [[0.5, 0, 0], row(3)] }, detail: 'content_tokens[0][0]: must be an integer id of the content codebook (0..1023); found 0.5' },
  { what: 'a speaker embedding of 255 numbers', body: { ...VALID, speaker_embedding: row(255) }, detail: 'speaker_embedding: must hold 256 numbers; found 255' },
  { what: 'a speaker embedding with text in it', body: { ...VALID, speaker_embedding: [...row(255), 'x'] }, detail: 'speaker_embedding[255]: must be a number within ±10000; found "x"' },
  { what: 'a huge speaker embedding value', body: { ...VALID, speaker_embedding: [123456.5, ...row(255)] }, detail: 'speaker_embedding[0]: must be a number within ±10000; found 123456.5' },
  { what: 'tokens that are not an object', body: { tokens: [[1, 2]] }, detail: 'tokens: must be an object with content_tokens, prosody_tokens, timbre_tokens and speaker_embedding (an encode response)' },
  { what: 'tokens that are not JSON', body: { tokens: '{"content_tokens": ' }, detail: /^tokens: is not valid JSON: / },
  { what: 'a bad id inside tokens', body: { tokens: { ...VALID, prosody_tokens: [[1, 2, 2048]] } }, detail: 'tokens.prosody_tokens[0][2]: id 2048 is outside the prosody codebook (0..1023)' },
  { what: 'a field tokens never has', body: { tokens: { ...VALID, tokens: [[1]] } }, detail: /^tokens\.tokens: is not a field of an encode response/ },
  { what: 'content tokens given twice, differently', body: { tokens: VALID, content_tokens: [row(3, 2), row(3, 2)] }, detail: 'content_tokens: differs from tokens.content_tokens in the same request; send it once' },
  { what: 'a length the frames cannot hold', body: { ...VALID, length: 601 }, detail: 'length: is 601 samples, but 3 frames encode 401..600 samples (hop 200)' },
  { what: 'frames unlike the streams', body: { ...VALID, frames: 4 }, detail: 'frames: is 4; but the token streams have 3 frames' },
  { what: 'another frame rate', body: { tokens: { ...VALID, frame_rate: 50 } }, detail: 'tokens.frame_rate: is 50; FACodec has 80 frames per second' },
  { what: 'another sample rate', body: { ...VALID, sample_rate: 24000 }, detail: 'sample_rate: must be one of: 16000', status: 422 },
];

describe('FACodec decode refuses bad payloads before any graph runs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startCodecHub(REGISTRY);
  });
  after(() => hub.stop());

  for (const bad of CASES) {
    it(`answers ${bad.what} with ${bad.status ?? 400} naming it`, async () => {
      await assertRefused(await postJson(hub, DECODE, bad.body), bad.detail, bad.status);
    });
  }

  it('answers the same in a multipart form, where the streams are JSON text', async () => {
    const res = await postForm(hub, DECODE, { ...VALID, timbre_tokens: [row(3), [1, 1, 1024], row(3)] });
    assert.equal(res.status, 400);
    assert.equal(await detailOf(res), 'timbre_tokens[1][2]: id 1024 is outside the residual (acoustic detail) codebook (0..1023)');
  });

  it('never ran the decoder on any of them', () => {
    const status = graphStatus(hub, 'facodec');
    assert.deepEqual({ runs: status.decoder!.runs, loaded: status.decoder!.loaded }, { runs: 0, loaded: false });
  });
});
