// What surrounds the HuBERT graph in TypeScript:
//   before: torchaudio's HUBERT_LARGE bundle (2.0.2, as Amphion pins it) has _normalize_waveform=True, i.e.
//           layer_norm(wav, wav.shape) (zero mean, unit biased variance, eps 1e-5);
//           then the tail no conv window reaches is cut (below), so the graph's frame count
//           is an expression of its input (`samples/320`) that smoke graphs reproduce too;
//   after:  vq8192 reads (feats − mean) / std with the statistics of hubert_large_l18_mean_std.npz.
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { cutToWindows, layerNormWaveform } from '../../hubert/front-end.ts';
import { identityStats, loadFeatureStats, type FeatureStats } from '../../vevo-common/feature-stats.ts';
import { VEVO } from '../settings.ts';

/**
 * The HUBERT_LARGE bundle's input: the utterance layer-norm (it reads every sample), then the cut
 * to the samples the conv windows read (plugins/hubert/front-end.ts), which changes no output and
 * leaves S' = 320·frames + 80.
 */
export function hubertInput(wav16k: Float32Array): Float32Array {
  return cutToWindows(layerNormWaveform(wav16k));
}

export { normaliseFeatures, type FeatureStats } from '../../vevo-common/feature-stats.ts';

/** Identity statistics: smoke graphs come without the statistics file. */
export const IDENTITY_STATS: FeatureStats = identityStats(VEVO.hubertDim);

export async function featureStats(ctx: Pick<HandlerContext, 'weightDir' | 'weightState'>): Promise<FeatureStats> {
  return loadFeatureStats(ctx, VEVO.hubertStatsFile, VEVO.hubertDim, 'vevo');
}
