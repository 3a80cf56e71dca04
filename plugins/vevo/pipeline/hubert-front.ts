// What surrounds the HuBERT graph in TypeScript:
//   before: torchaudio's HUBERT_LARGE bundle (2.0.2, as Amphion pins it) has _normalize_waveform=True, i.e.
//           layer_norm(wav, wav.shape) (zero mean, unit biased variance, eps 1e-5);
//           then the tail no conv window reaches is cut (below), so the graph's frame count
//           is an expression of its input (`samples/320`) that smoke graphs reproduce too;
//   after:  vq8192 reads (feats − mean) / std with the statistics of hubert_large_l18_mean_std.npz.
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { identityStats, loadFeatureStats, type FeatureStats } from '../../vevo-common/feature-stats.ts';
import { VEVO } from '../settings.ts';

export function layerNormWaveform(samples: Float32Array, eps = 1e-5): Float32Array {
  let mean = 0;
  for (const x of samples) mean += x;
  mean /= Math.max(1, samples.length);
  let variance = 0;
  for (const x of samples) variance += (x - mean) ** 2;
  variance /= Math.max(1, samples.length);
  const scale = 1 / Math.sqrt(variance + eps);
  return samples.map((x) => (x - mean) * scale);
}

/**
 * HuBERT's conv front end (kernels 10,3,3,3,3,2,2; strides 5,2,2,2,2,2,2: a 400-sample window
 * every 320, no padding, per-frame layer norms) gives floor((S − 80)/320) frames and never
 * reads the samples after the last window. Cutting them (after the utterance layer-norm,
 * which does read them) changes no output and leaves S' = 320·frames + 80.
 */
export function hubertInput(wav16k: Float32Array): Float32Array {
  const normalised = layerNormWaveform(wav16k);
  const frames = Math.max(0, Math.floor((wav16k.length - 80) / 320));
  return normalised.subarray(0, frames * 320 + 80);
}

export { normaliseFeatures, type FeatureStats } from '../../vevo-common/feature-stats.ts';

/** Identity statistics: smoke graphs come without the statistics file. */
export const IDENTITY_STATS: FeatureStats = identityStats(VEVO.hubertDim);

export async function featureStats(ctx: Pick<HandlerContext, 'weightDir' | 'weightState'>): Promise<FeatureStats> {
  return loadFeatureStats(ctx, VEVO.hubertStatsFile, VEVO.hubertDim, 'vevo');
}
