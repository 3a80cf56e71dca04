// HuBERT features and the two tokenizers (vevo_utils.py `extract_hubert_codec`):
//   vq8192 ("hubert_codec"):      quantize((feats − mean) / std)
//   vq32   ("hubert_vevo_codec"): codebook index of projector(encoder(feats)), raw feats,
//                                 then duration reduction for the AR input.
import type { GraphHandle } from '../../../core/onnx/graph-handle.ts';
import { float32Tensor, floatsOf, idsOf } from '../../../core/onnx/tensors.ts';
import { VEVO } from '../settings.ts';
import { reduceDurations } from './duration.ts';
import { hubertInput, normaliseFeatures, type FeatureStats } from './hubert-front.ts';

type TokenGraphs = Readonly<Record<'hubert' | 'content_tokenizer' | 'content_style_tokenizer', GraphHandle>>;

export interface HubertFeatures {
  readonly data: Float32Array;
  readonly frames: number;
}

export async function hubertFeatures(graphs: Pick<TokenGraphs, 'hubert'>, wav16k: Float32Array, signal: AbortSignal): Promise<HubertFeatures> {
  // hubert: layer_norm(wav) [1, S'] → layer-18 features [1, S'/320, 1024]
  const input = hubertInput(wav16k);
  const out = await graphs.hubert.run({ waveform: float32Tensor(input, [1, input.length]) }, { signal });
  const data = floatsOf(out.features, 'hubert.features');
  return { data, frames: data.length / VEVO.hubertDim };
}

/** vq8192 content-style tokens, one per frame. */
export async function contentStyleTokens(graphs: Pick<TokenGraphs, 'content_style_tokenizer'>, features: HubertFeatures, stats: FeatureStats, signal: AbortSignal): Promise<number[]> {
  const normalised = normaliseFeatures(features.data, stats);
  const out = await graphs.content_style_tokenizer.run({ features: float32Tensor(normalised, [1, features.frames, VEVO.hubertDim]) }, { signal });
  return Array.from(idsOf(out.ids, 'content_style_tokenizer.ids'));
}

/** vq32 content tokens with consecutive repeats collapsed (duration_reduction=True, n-gram 1). */
export async function reducedContentTokens(graphs: Pick<TokenGraphs, 'content_tokenizer'>, features: HubertFeatures, signal: AbortSignal): Promise<number[]> {
  const out = await graphs.content_tokenizer.run({ features: float32Tensor(features.data, [1, features.frames, VEVO.hubertDim]) }, { signal });
  return reduceDurations(idsOf(out.ids, 'content_tokenizer.ids'));
}
