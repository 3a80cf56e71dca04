// The pieces of the SVC pipeline that reproduce Amphion's numpy/torch code, against values
// those lines give (computed with numpy 1.x / torch 1.13 and written here): f0_to_coarse,
// the loudness buckets, the content-to-mel resolution transform; and the singer choice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { alignContent, hopsOf, validFrames } from './align.ts';
import { spectralEmbedding } from './embedding.ts';
import { f0ToCoarse, loudnessIds, unvoicedIds } from './prosody.ts';
import { extremaFor, loadRoster, nearestSinger, singerByName, SMOKE_ROSTER } from './singers.ts';

describe('SVC prosody ids', () => {
  it('quantises F0 as utils/f0.py f0_to_coarse (pitch_bin 256, 50–1100 Hz)', () => {
    // np.rint(...) of the mel-scale formula for [0, 49, 50, 110, 220, 440, 1100, 1200, 733.3]
    assert.deepEqual([...f0ToCoarse([0, 49, 50, 110, 220, 440, 1100, 1200, 733.3])].map(Number), [1, 1, 1, 23, 60, 122, 255, 255, 189]);
  });

  it('buckets energy as torch.bucketize over exp(linspace(ln 1e-30, ln 1.5, 255))', () => {
    assert.deepEqual([...loudnessIds([0, 1e-31, 1e-30, 1e-10, 0.01, 1, 1.5, 2])].map(Number), [0, 0, 0, 169, 236, 253, 254, 255]);
  });

  it('marks unvoiced frames 1 and voiced 0, as the SVC dataset inverts frame_uv', () => {
    assert.deepEqual([...unvoicedIds([0, 100, 0, 5])].map(Number), [1, 0, 1, 0]);
  });
});

describe('content features onto mel frames (offline_resolution_transformation)', () => {
  it('reduces 20 ms at 24 kHz against hop 256 to hops 15 and 8', () => {
    assert.deepEqual(hopsOf(), { source: 15, target: 8 });
    assert.equal(validFrames(1.0), 50);
  });

  it('repeats and averages like numpy, then repeats the last frame', () => {
    const content = Float32Array.from({ length: 12 }, (_, i) => i); // 6 frames × 2
    assert.deepEqual([...alignContent(content, 2, 5)], [0, 1, 0.25, 1.25, 2, 3, 2.5, 3.5, 4, 5]);
    assert.deepEqual(
      [...alignContent(content, 2, 12)],
      [0, 1, 0.25, 1.25, 2, 3, 2.5, 3.5, 4, 5, 4.75, 5.75, 6, 7, 7, 8, 8, 9, 9.25, 10.25, 10, 11, 10, 11],
    );
  });
});

describe('singer choice', () => {
  const dark = (nMels: number, frames: number) => Float32Array.from({ length: nMels * frames }, (_, i) => -2 - (6 * Math.floor(i / frames)) / nMels);
  it('matches a spectrum falling with frequency to the dark singer, a rising one to the bright one', () => {
    const falling = spectralEmbedding(dark(100, 10), 100, 10)!;
    assert.equal(nearestSinger(SMOKE_ROSTER, falling)!.singer.name, 'smoke_dark');
    const rising = spectralEmbedding(dark(100, 10).map((v) => -8 - v), 100, 10)!;
    assert.equal(nearestSinger(SMOKE_ROSTER, rising)!.singer.name, 'smoke_bright');
  });

  it('has no embedding for silence (a flat spectrum)', () => {
    assert.equal(spectralEmbedding(new Float32Array(100 * 4).fill(-11.5), 100, 4), undefined);
  });

  it('names the trained singers when a name is unknown', () => {
    assert.throws(() => singerByName(SMOKE_ROSTER, 'x'), /the trained singers are: smoke_dark, smoke_bright, smoke_mid/);
  });

  it("reads an installed checkpoint's singers.json, singer_profiles.json and mel_extrema.json", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svc-roster-'));
    try {
      writeFileSync(join(dir, 'singers.json'), JSON.stringify({ opencpop_female1: 3, m4singer_Alto_1: 7 }));
      writeFileSync(join(dir, 'singer_profiles.json'), JSON.stringify({ opencpop_female1: { f0_median: 330.5, embedding: Array(100).fill(0.1) } }));
      writeFileSync(join(dir, 'mel_extrema.json'), JSON.stringify({ opencpop: { min: Array(100).fill(-11), max: Array(100).fill(2) } }));
      const roster = await loadRoster({ weightDir: dir, weightState: 'installed', plugin: { name: 'vitssvc' } });
      assert.deepEqual(roster.singers.map((s) => [s.name, s.id, s.dataset, s.f0Median, s.embedding?.length]), [
        ['opencpop_female1', 3, 'opencpop', 330.5, 100],
        ['m4singer_Alto_1', 7, 'm4singer_Alto', undefined, undefined],
      ]);
      assert.equal(extremaFor(roster, roster.singers[0]!)!.min[0], -11);
      writeFileSync(join(dir, 'singers.json'), JSON.stringify({ x: 9999 }));
      await assert.rejects(loadRoster({ weightDir: dir, weightState: 'installed', plugin: { name: 'vitssvc' } }), /'x' has id 9999, not one of 0\.\.511/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
