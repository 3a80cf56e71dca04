// Steps 2 and 3 of the pipeline: the reference clip as tokens. Semantic tokens from the
// 16 kHz clip (SeamlessM4T fbank → w2v-BERT layer 17 → semantic codec), acoustic tokens
// from the 24 kHz clip (acoustic codec encoder + 12-layer quantizer).
import type { AudioToolkit } from '../../../core/audio/toolkit.ts';
import { kaldiFrameCount, stackedAttentionMask, W2V_BERT_FBANK } from '../../w2v-bert/front-end.ts';
import { MASKGCT } from '../settings.ts';
import type { MaskgctGraphs } from './graph-handles.ts';
import type { StepLog } from './step-log.ts';
import { float32Tensor, idsOf, int64Tensor } from '../../../core/onnx/tensors.ts';

export async function semanticTokens(
  graphs: Pick<MaskgctGraphs, 'w2v_bert' | 'semantic_codec'>,
  reference16k: Float32Array,
  run: { readonly audio: AudioToolkit; readonly log: StepLog; readonly signal: AbortSignal },
): Promise<Int32Array> {
  // processor(speech, sampling_rate=16000): input_features [1, F, 160], attention_mask [1, F]
  const features = await run.audio.stackedFbank(reference16k, W2V_BERT_FBANK);
  const frames = features.dims[0];
  const mask = stackedAttentionMask(kaldiFrameCount(reference16k.length));
  // semantic_model(...).hidden_states[17]
  const hidden = await run.log.step('semantic', { graph: 'w2v_bert', frames }, () =>
    graphs.w2v_bert.run({ input_features: float32Tensor(features.data, [1, frames, MASKGCT.fbankDim]), attention_mask: int64Tensor(mask, [1, frames]) }, { signal: run.signal }),
  );
  // semantic_codec.quantize((feat - mean) / std)
  const codes = await run.log.step('semantic', { graph: 'semantic_codec', frames }, () =>
    graphs.semantic_codec.run({ hidden_states: hidden.hidden_states! }, { signal: run.signal }),
  );
  return idsOf(codes.semantic_ids, 'semantic_codec.semantic_ids');
}

/** Frame-major [frames × 12] acoustic codes of the 24 kHz clip, cut to whole 480-sample frames. */
export async function acousticTokens(
  graphs: Pick<MaskgctGraphs, 'acoustic_encoder'>,
  reference24k: Float32Array,
  run: { readonly log: StepLog; readonly signal: AbortSignal },
): Promise<Int32Array> {
  // A deliberate difference (EXPORT.md "Differences from Amphion"): Amphion encodes the whole
  // clip, whose last partial frame its strided convolutions round; we drop the < 20 ms tail so
  // that the contract's `frames = samples/480` holds. The prompt can be a frame shorter than
  // Amphion's, and the S2A target (semantic frames − prompt frames) a frame longer.
  const samples = Math.floor(reference24k.length / MASKGCT.hop) * MASKGCT.hop;
  // codec_encoder(speech) → quantizer → vq.permute(1, 2, 0): [1, frames, 12]
  const out = await run.log.step('acoustic', { graph: 'acoustic_encoder', frames: samples / MASKGCT.hop }, () =>
    graphs.acoustic_encoder.run({ waveform: float32Tensor(reference24k.slice(0, samples), [1, 1, samples]) }, { signal: run.signal }),
  );
  return idsOf(out.acoustic_ids, 'acoustic_encoder.acoustic_ids');
}
