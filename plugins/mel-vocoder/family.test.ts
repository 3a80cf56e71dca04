import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isHubError } from '../../core/errors.ts';
import { BIGVGAN_FAMILIES, DEFAULT_BIGVGAN_FAMILY } from '../bigvgan/families.ts';
import { HIFIGAN_FAMILIES } from '../hifigan/families.ts';
import { familyOfConfig, resolveFamily, type GraphLimits } from './family.ts';

const problem = (why: string) => new Error(why);

/** The audio keys every published HiFi-GAN/BigVGAN config.json carries. */
const bigvganV2_24k = {
  resblock: '1', num_mels: 100, upsample_rates: [4, 4, 2, 2, 2, 2], upsample_initial_channel: 1536,
  use_tanh_at_final: false, sampling_rate: 24000, n_fft: 1024, hop_size: 256, win_size: 1024, fmin: 0, fmax: null,
};
const bigvganBase22k = {
  resblock: '1', num_mels: 80, upsample_rates: [8, 8, 2, 2], upsample_initial_channel: 512,
  sampling_rate: 22050, n_fft: 1024, hop_size: 256, win_size: 1024, fmin: 0, fmax: 8000,
};
const hifiganV3 = {
  resblock: '2', num_mels: 80, upsample_rates: [8, 8, 4], upsample_initial_channel: 256,
  sampling_rate: 22050, n_fft: 1024, hop_size: 256, win_size: 1024, fmin: 0, fmax: 8000,
};

describe('telling a checkpoint family from its config.json', () => {
  it('recognises published configs by their mel and architecture keys', () => {
    assert.equal(familyOfConfig(bigvganV2_24k, BIGVGAN_FAMILIES, problem).id, 'bigvgan_v2_24khz_100band_256x');
    assert.equal(familyOfConfig(bigvganBase22k, BIGVGAN_FAMILIES, problem).id, 'bigvgan_base_22khz_80band');
    assert.equal(familyOfConfig({ ...bigvganV2_24k, num_mels: 128, sampling_rate: 44100 }, BIGVGAN_FAMILIES, problem).id, 'bigvgan_v2_44khz_128band_256x');
    assert.equal(familyOfConfig({ ...bigvganV2_24k, num_mels: 80, sampling_rate: 22050, fmax: 8000 }, BIGVGAN_FAMILIES, problem).id, 'bigvgan_v2_22khz_80band_fmax8k_256x');
    assert.equal(familyOfConfig(hifiganV3, HIFIGAN_FAMILIES, problem).id, 'v3');
  });

  it('takes the mel parameters from the config itself, Nyquist for a null fmax', () => {
    const family = familyOfConfig({ ...bigvganV2_24k, num_mels: 128, sampling_rate: 44100 }, BIGVGAN_FAMILIES, problem);
    assert.deepEqual([family.mel.sampleRate, family.mel.nMels, family.mel.hop, family.mel.fMax, family.mel.pad], [44100, 128, 256, 22050, 384]);
  });

  it('accepts a short {"family": id}', () => {
    assert.equal(familyOfConfig({ family: 'bigvgan_base_24khz_100band' }, BIGVGAN_FAMILIES, problem).id, 'bigvgan_base_24khz_100band');
    assert.throws(() => familyOfConfig({ family: 'nope' }, BIGVGAN_FAMILIES, problem), /family 'nope' is not one of: bigvgan_v2_24khz_100band_256x/);
  });

  it('treats a sensible config that matches no family as a custom one', () => {
    const family = familyOfConfig({ ...hifiganV3, sampling_rate: 16000, fmax: 7600 }, HIFIGAN_FAMILIES, problem);
    assert.equal(family.id, 'custom');
    assert.equal(family.mel.sampleRate, 16000);
  });

  it('names the key and the rule a broken config breaks', () => {
    assert.throws(() => familyOfConfig({ ...hifiganV3, hop_size: 'x' }, HIFIGAN_FAMILIES, problem), /'hop_size' must be a whole number in 1\.\.1024, found "x"/);
    assert.throws(() => familyOfConfig({ ...hifiganV3, upsample_rates: [8, 8, 2] }, HIFIGAN_FAMILIES, problem), /upsample_rates multiply to 128, but hop_size is 256/);
    assert.throws(() => familyOfConfig([], HIFIGAN_FAMILIES, problem), /must hold a JSON object/);
  });
});

describe('the family a call runs on', () => {
  let dir: string;
  const limits: GraphLimits = { hop: 256 };
  const context = (weightState: string) => ({ plugin: { name: 'bigvgan' }, weightState, weightDir: dir });
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vocoder-family-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('is the default for smoke graphs and for a folder without config.json', async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify(bigvganBase22k));
    assert.equal(await resolveFamily(context('smoke'), BIGVGAN_FAMILIES, DEFAULT_BIGVGAN_FAMILY, limits), DEFAULT_BIGVGAN_FAMILY);
    await rm(join(dir, 'config.json'));
    assert.equal(await resolveFamily(context('installed'), BIGVGAN_FAMILIES, DEFAULT_BIGVGAN_FAMILY, limits), DEFAULT_BIGVGAN_FAMILY);
  });

  it("is the installed checkpoint's, from its config.json", async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify(bigvganBase22k));
    assert.equal((await resolveFamily(context('installed'), BIGVGAN_FAMILIES, DEFAULT_BIGVGAN_FAMILY, limits)).id, 'bigvgan_base_22khz_80band');
  });

  it('refuses, as 503 naming the file, a config the graph contract cannot serve', async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...bigvganV2_24k, num_mels: 128, sampling_rate: 44100, n_fft: 2048, win_size: 2048, hop_size: 512, upsample_rates: [8, 4, 2, 2, 2, 2] }));
    const refusal = await resolveFamily(context('installed'), BIGVGAN_FAMILIES, DEFAULT_BIGVGAN_FAMILY, limits).catch((e: unknown) => e);
    assert.ok(isHubError(refusal));
    assert.equal(refusal.status, 503);
    assert.match(refusal.message, /config\.json: family custom has hop 512, but the graph contract makes 256 samples per frame/);
    await writeFile(join(dir, 'config.json'), 'SECRET-BYTES-OF-A-WRONG-FILE');
    const notJson = String(await resolveFamily(context('installed'), BIGVGAN_FAMILIES, DEFAULT_BIGVGAN_FAMILY, limits).catch((e: Error) => e.message));
    assert.match(notJson, /is not valid JSON/);
    assert.doesNotMatch(notJson, /SECRET/, 'nothing of the file is quoted back');
  });
});
