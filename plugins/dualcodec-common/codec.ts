// DualCodec as a capability (kind `dualcodec-codec`), for the models trained on its tokens
// (DualCodec-VALL-E: an AR model over the semantic codebook, a NAR model over the acoustic
// ones). The DualCodec plugins own the graphs and the encode/decode pipelines
// (plugins/dualcodec/encode.ts, decode.ts); a caller finds the variant it was trained on by
// plugin name and runs these in the provider's context (`provider.context(...)`).
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { TokenGrid } from '../codec-tokens/token-grid.ts';

export const DUALCODEC_CODEC = 'dualcodec-codec';

export interface DualcodecCodec {
  /** The checkpoint: '12hz_v1' or '25hz_v1'. */
  readonly modelId: string;
  readonly sampleRate: number;
  /** Samples per codec frame at 24 kHz. */
  readonly hop: number;
  readonly frameRate: number;
  readonly semanticVocab: number;
  readonly acousticLayers: number;
  readonly acousticVocab: number;
  /**
   * A 24 kHz mono clip → its token grid (layer 0 semantic, then `nQuantizers − 1` acoustic
   * layers), one frame per hop (the clip is zero-padded to whole hops).
   */
  encode(clip24k: Float32Array, nQuantizers: number, ctx: HandlerContext): Promise<TokenGrid>;
  /** A token grid (1 + up to `acousticLayers` layers) → frames × hop samples of 24 kHz audio. */
  decode(grid: TokenGrid, ctx: HandlerContext): Promise<Float32Array>;
}
