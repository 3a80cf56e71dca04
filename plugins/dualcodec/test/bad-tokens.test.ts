// Every way a DualCodec token payload can be wrong, over HTTP: each is a 400 whose detail
// names the field, the position and the allowed range, and none reaches the decoder graph.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestHub } from '../../../test/support/test-hub.ts';
import { assertRefused, detailOf, graphStatus, postForm, postJson, startCodecHub } from '../../codec-tokens/test-support.ts';

const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-dualcodec.json');
const DECODE = '/api/codec/dualcodec/decode';

const row = (length: number, id = 1) => new Array<number>(length).fill(id);

/** Request body (JSON) → the detail it must get. */
const CASES: readonly { what: string; body: Record<string, unknown>; detail: string | RegExp; status?: number }[] = [
  { what: 'tokens that are not JSON', body: { tokens: '[[1, 2' }, detail: /^tokens: is not valid JSON: / },
  { what: 'a number for tokens', body: { tokens: 42 }, detail: 'tokens: must be layers × frames: an array of 1 to 8 arrays of integer ids (1 semantic + up to 7 acoustic layers); found 42' },
  { what: 'a flat list of ids', body: { tokens: [1, 2, 3] }, detail: /^tokens: must be layers × frames: .*; found a flat list of ids: a single layer is written \[\[\.\.\.\]\]$/ },
  { what: 'no layers', body: { tokens: [] }, detail: 'tokens: has 0 layers; expected 1 to 8 (1 semantic + up to 7 acoustic layers)' },
  { what: 'more layers than the codec has', body: { tokens: Array.from({ length: 9 }, () => row(2)) }, detail: 'tokens: has 9 layers; expected 1 to 8 (1 semantic + up to 7 acoustic layers)' },
  { what: 'a layer that is not an array', body: { tokens: [row(2), 5] }, detail: 'tokens[1]: must be an array of integer ids (the acoustic layer); found 5' },
  { what: 'layers of different lengths', body: { tokens: [row(3), row(2)] }, detail: 'tokens[1]: has 2 frames, but tokens[0] has 3; every layer needs the same number of frames' },
  { what: 'no frames', body: { tokens: [[]] }, detail: 'tokens: has no frames; at least 1 is needed' },
  { what: 'more frames than 600 s', body: { tokens: [row(7501)] }, detail: 'tokens: has 7501 frames, more than the limit of 7500 (600 s at 12.5 frames/s)' },
  { what: 'a fractional id', body: { tokens: [[1, 2.5]] }, detail: 'tokens[0][1]: must be an integer id of the semantic codebook (0..16383); found 2.5' },
  { what: 'an id written as text', body: { tokens: [[1], ['2']] }, detail: 'tokens[1][0]: must be an integer id of the acoustic codebook (0..4095); found "2"' },
  { what: 'a null id', body: { tokens: [[1, null]] }, detail: 'tokens[0][1]: must be an integer id of the semantic codebook (0..16383); found null' },
  { what: 'a negative id', body: { tokens: [[-1]] }, detail: 'tokens[0][0]: id -1 is outside the semantic codebook (0..16383)' },
  { what: 'a semantic id past its codebook', body: { tokens: [[16384]] }, detail: 'tokens[0][0]: id 16384 is outside the semantic codebook (0..16383)' },
  { what: 'an acoustic id past its codebook', body: { tokens: [[16383, 0], [4095, 4096]] }, detail: 'tokens[1][1]: id 4096 is outside the acoustic codebook (0..4095)' },
  { what: 'a length the frames cannot hold', body: { tokens: [row(2)], length: 3841 }, detail: 'length: is 3841 samples, but 2 frames encode 1921..3840 samples (hop 1920)' },
  { what: 'a length of fewer frames', body: { tokens: [row(2)], length: 1920 }, detail: 'length: is 1920 samples, but 2 frames encode 1921..3840 samples (hop 1920)' },
  { what: 'n_quantizers unlike the layers', body: { tokens: [row(2), row(2)], n_quantizers: 8 }, detail: 'n_quantizers: is 8; but tokens has 2 layers' },
  { what: 'frames unlike the grid', body: { tokens: [row(2)], frames: 3 }, detail: 'frames: is 3; but tokens has 2 frames' },
  { what: 'another frame rate', body: { tokens: [row(2)], frame_rate: 25 }, detail: 'frame_rate: is 25; DualCodec 12hz has 12.5 frames per second' },
  { what: 'tokens of the 25 Hz variant', body: { tokens: [row(2)], variant: '25hz' }, detail: 'variant: is "25hz"; this route decodes DualCodec 12hz; 25hz tokens go to POST /api/codec/dualcodec-25hz/decode' },
  { what: 'another sample rate', body: { tokens: [row(2)], sample_rate: 16000 }, detail: 'sample_rate: must be one of: 24000', status: 422 },
  { what: 'an encode response without its grid', body: { tokens: { length: 100 } }, detail: 'tokens.tokens: is required: the encode response sent as tokens has no token grid' },
  { what: 'an encode response with a field it never has', body: { tokens: { tokens: [row(1)], colour: 'red' } }, detail: /^tokens\.colour: is not a field of an encode response/ },
  { what: 'a bad id inside an encode response', body: { tokens: { tokens: [[70000]] } }, detail: 'tokens.tokens[0][0]: id 70000 is outside the semantic codebook (0..16383)' },
  { what: 'a wrong sample rate inside an encode response', body: { tokens: { tokens: [row(1)], sample_rate: 22050 } }, detail: 'tokens.sample_rate: is 22050; DualCodec decodes to 24000 Hz' },
  { what: 'a length given twice, differently', body: { tokens: { tokens: [row(2)], length: 3000 }, length: 3001 }, detail: 'length: differs from tokens.length in the same request; send it once' },
  { what: 'a nested length that is not an integer', body: { tokens: { tokens: [row(2)], length: 'long' } }, detail: 'tokens.length: must be an integer; found "long"' },
];

describe('DualCodec decode refuses bad tokens before any graph runs', () => {
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

  it('answers the same in a multipart form, where tokens is JSON text', async () => {
    const res = await postForm(hub, DECODE, { tokens: [[1, 2], [3, 99999]] });
    assert.equal(res.status, 400);
    assert.equal(await detailOf(res), 'tokens[1][1]: id 99999 is outside the acoustic codebook (0..4095)');
  });

  it('checks the 25 Hz variant against its own smaller acoustic codebook', async () => {
    const res = await postJson(hub, '/api/codec/dualcodec-25hz/decode', { tokens: [[1, 2], [1023, 1024]] });
    assert.equal(res.status, 400);
    assert.equal(await detailOf(res), 'tokens[1][1]: id 1024 is outside the acoustic codebook (0..1023)');
  });

  it('requires tokens', async () => {
    const res = await postJson(hub, DECODE, { length: 100 });
    assert.equal(res.status, 400);
    assert.equal(await detailOf(res), 'tokens: is required');
  });

  it('never ran the decoder on any of them', () => {
    const status = graphStatus(hub, 'dualcodec');
    assert.equal(status.decoder!.runs, 0);
    assert.equal(status.decoder!.loaded, false);
    assert.equal(graphStatus(hub, 'dualcodec-25hz').decoder!.runs, 0);
  });
});
