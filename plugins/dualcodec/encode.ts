// DualCodec encoding, as `Inference.encode` runs it:
//   1. the clip at 24 kHz, zero-padded to whole hops (DAC `preprocess`)
//   2. semantic features: w2v-BERT layer 17 at 16 kHz, averaged to the codec frame rate
//   3. encoder: semantic codes, and the acoustic residual codes of what the semantic
//      latent leaves unexplained; the first n_quantizers − 1 acoustic layers are kept
import type { HandlerContext } from '../../core/plugin/context.ts';
import { padToHop } from '../codec-tokens/hop-length.ts';
import { gridFromRows, type TokenGrid } from '../codec-tokens/token-grid.ts';
import { float32Tensor, idsOf } from '../../core/onnx/tensors.ts';
import { handlesOf } from './graphs.ts';
import { semanticFeatures } from './semantic-front.ts';
import { DUALCODEC, type DualcodecVariant } from './variants.ts';

export interface Encoded {
  readonly grid: TokenGrid;
  /** Samples of the clip before padding. */
  readonly length: number;
}

export async function encodeClip(
  ctx: Pick<HandlerContext, 'graphs' | 'audio' | 'signal' | 'progress'>,
  variant: DualcodecVariant,
  clip24k: Float32Array,
  nQuantizers: number,
): Promise<Encoded> {
  const graphs = handlesOf(ctx);
  // 1. audio_data = pad(audio, ceil(len / hop)·hop − len)
  const { samples, frames } = padToHop(clip24k, variant.hop);

  // 2. feat = avg_pool1d(w2v_bert(features).hidden_states[17]): [frames, 1024]
  ctx.progress(0.1, 'semantic features', 'semantic');
  const features = await semanticFeatures(graphs.w2v_bert, samples, frames, variant, { audio: ctx.audio, signal: ctx.signal });

  // 3. semantic_codes [1, 1, T], acoustic_codes [1, n_codebooks, T]
  ctx.progress(0.7, 'codec encoder', 'encode');
  const out = await graphs.encoder.run(
    { waveform: float32Tensor(samples, [1, 1, samples.length]), semantic_features: float32Tensor(features, [1, frames, DUALCODEC.w2vBertDim]) },
    { signal: ctx.signal },
  );
  const semantic = idsOf(out.semantic_codes, 'encoder.semantic_codes');
  const acoustic = idsOf(out.acoustic_codes, 'encoder.acoustic_codes');
  // Residual VQ: the first k layers do not depend on later ones, so n_quantizers is a cut.
  const rows = [semantic, ...Array.from({ length: nQuantizers - 1 }, (_, layer) => acoustic.subarray(layer * frames, (layer + 1) * frames))];
  return { grid: gridFromRows(rows), length: clip24k.length };
}
