// DualCodec's tokens as clients see them: layers × frames, layer 0 the semantic codebook
// (16384 ids), layers 1.. the acoustic residual codebooks (`inference_with_semantic.py`
// returns them apart: semantic [B, 1, T], acoustic [B, n_q − 1, T]; the seed's `tokens`
// holds them stacked in that order).
import type { GridSpec } from '../codec-tokens/token-grid.ts';
import { DUALCODEC, maxQuantizers, type DualcodecVariant } from './variants.ts';

export const maxFrames = (variant: DualcodecVariant) => Math.round(DUALCODEC.maxSeconds * variant.frameRate);

export function tokensSpec(variant: DualcodecVariant, field = 'tokens'): GridSpec {
  return {
    field,
    minLayers: 1,
    maxLayers: maxQuantizers(variant),
    layersHint: `1 semantic + up to ${variant.acousticLayers} acoustic layers`,
    codebook: (layer) => (layer === 0 ? { size: DUALCODEC.semanticVocab, name: 'semantic' } : { size: variant.acousticVocab, name: 'acoustic' }),
    maxFrames: maxFrames(variant),
    maxFramesReason: `${DUALCODEC.maxSeconds} s at ${variant.frameRate} frames/s`,
  };
}
