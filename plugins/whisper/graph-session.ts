// The decoding loop's sessions on Whisper's two ONNX graphs (contracts.ts): the encoder
// runs once per window; each decoder session starts with an empty self-attention cache
// and passes the cache it gets back into the next call.
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import { int64Tensor } from '../../core/onnx/tensors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { DecoderSession } from './decode-loop.ts';
import { N_FRAMES, N_TEXT_CTX, type WhisperPreset } from './presets.ts';

export interface EncodedWindow {
  readonly crossK: TensorData;
  readonly crossV: TensorData;
}

export async function encodeWindow(ctx: HandlerContext, preset: WhisperPreset, window: Float32Array): Promise<EncodedWindow> {
  // encoder: mel [1, n_mels, 3000] → cross K/V [layers, 1, 1500, state]
  const out = await ctx.graphs.encoder!.run({ mel: { type: 'float32', data: window, dims: [1, preset.nMels, N_FRAMES] } }, { signal: ctx.signal });
  return { crossK: out.n_layer_cross_k!, crossV: out.n_layer_cross_v! };
}

export function openDecoderSession(ctx: HandlerContext, preset: WhisperPreset, encoded: EncodedWindow): DecoderSession {
  const cacheDims = [preset.layers, 1, N_TEXT_CTX, preset.state];
  const empty = (): TensorData => ({ type: 'float32', data: new Float32Array(preset.layers * N_TEXT_CTX * preset.state), dims: cacheDims });
  let selfK = empty();
  let selfV = empty();
  let offset = 0;
  return {
    async feed(tokens) {
      if (offset + tokens.length > N_TEXT_CTX) throw new Error(`Whisper's decoder holds ${N_TEXT_CTX} positions; ${offset + tokens.length} were asked for`);
      // decoder: tokens [1, n] at positions offset… → logits [1, n, vocab], updated caches
      const out = await ctx.graphs.decoder!.run(
        {
          tokens: int64Tensor(tokens, [1, tokens.length]),
          in_n_layer_self_k_cache: selfK,
          in_n_layer_self_v_cache: selfV,
          n_layer_cross_k: encoded.crossK,
          n_layer_cross_v: encoded.crossV,
          offset: int64Tensor([offset], [1]),
        },
        { signal: ctx.signal },
      );
      selfK = out.out_n_layer_self_k_cache!;
      selfV = out.out_n_layer_self_v_cache!;
      offset += tokens.length;
      const logits = out.logits!;
      const vocab = logits.dims[2]!;
      const data = logits.data as Float32Array;
      return tokens.map((_, i) => data.subarray(i * vocab, (i + 1) * vocab));
    },
  };
}
