// What surrounds the HuBERT graph in TypeScript:
//   before: torchaudio's HUBERT_LARGE bundle (2.0.2, as Amphion pins it) has _normalize_waveform=True, i.e.
//           layer_norm(wav, wav.shape) (zero mean, unit biased variance, eps 1e-5);
//           then the tail no conv window reaches is cut (below), so the graph's frame count
//           is an expression of its input (`samples/320`) that smoke graphs reproduce too;
//   after:  vq8192 reads (feats − mean) / std with the statistics of hubert_large_l18_mean_std.npz.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { cutToWindows, layerNormWaveform } from '../../hubert/front-end.ts';
import { VEVO } from '../settings.ts';

/**
 * The HUBERT_LARGE bundle's input: the utterance layer-norm (it reads every sample), then the cut
 * to the samples the conv windows read (plugins/hubert/front-end.ts), which changes no output and
 * leaves S' = 320·frames + 80.
 */
export function hubertInput(wav16k: Float32Array): Float32Array {
  return cutToWindows(layerNormWaveform(wav16k));
}

export interface FeatureStats {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/** (feats − mean) / std per channel, features [frames × dim] frame-major. */
export function normaliseFeatures(features: Float32Array, stats: FeatureStats): Float32Array {
  const dim = stats.mean.length;
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++) out[i] = (features[i]! - stats.mean[i % dim]!) / stats.std[i % dim]!;
  return out;
}

/** Identity statistics: smoke graphs come without the statistics file. */
export const IDENTITY_STATS: FeatureStats = { mean: new Float32Array(VEVO.hubertDim), std: new Float32Array(VEVO.hubertDim).fill(1) };

export async function featureStats(ctx: Pick<HandlerContext, 'weightDir' | 'weightState'>): Promise<FeatureStats> {
  const path = join(ctx.weightDir, VEVO.hubertStatsFile);
  if (ctx.weightState === 'smoke' && !existsSync(path)) return IDENTITY_STATS;
  const parsed = JSON.parse(await readFile(path, 'utf8')) as { mean?: number[]; std?: number[] };
  if (parsed.mean?.length !== VEVO.hubertDim || parsed.std?.length !== VEVO.hubertDim) {
    throw new Error(`vevo: ${VEVO.hubertStatsFile} needs 'mean' and 'std' of ${VEVO.hubertDim} numbers each`);
  }
  return { mean: Float32Array.from(parsed.mean), std: Float32Array.from(parsed.std) };
}
