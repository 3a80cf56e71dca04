// DualCodec's `dualcodec-codec` capability (interface: plugins/dualcodec-common/codec.ts): the
// same encode and decode the /codec/<variant>/encode and /decode routes run.
import type { DualcodecCodec } from '../dualcodec-common/codec.ts';
import { decodeGrid } from './decode.ts';
import { encodeClip } from './encode.ts';
import { DUALCODEC, type DualcodecVariant } from './variants.ts';

export function dualcodecCodec(variant: DualcodecVariant): DualcodecCodec {
  return {
    modelId: variant.modelId,
    sampleRate: DUALCODEC.sampleRate,
    hop: variant.hop,
    frameRate: variant.frameRate,
    semanticVocab: DUALCODEC.semanticVocab,
    acousticLayers: variant.acousticLayers,
    acousticVocab: variant.acousticVocab,
    encode: async (clip24k, nQuantizers, ctx) => (await encodeClip(ctx, variant, clip24k, nQuantizers)).grid,
    decode: (grid, ctx) => decodeGrid(ctx, variant, grid, undefined),
  };
}
