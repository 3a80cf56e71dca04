// The decoding loop's sessions on Whisper's two ONNX graphs (contracts.ts): the encoder
// runs once per window; each decoder session starts with an empty self-attention cache
// and passes the cache it gets back into the next call.
//
// On the hub's graphs (openWhisperGraphs) both graphs share one graph session in one worker:
// the encoder's cross-attention keys/values stay there as resident tensors, and each decode
// runs whole inside the worker (decode-worker.ts), so per step nothing crosses threads. On
// handles without graph sessions (a test's own onnxruntime session) every call passes the
// tensors by value, as before.
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import type { Feed, GraphSession } from '../../core/onnx/resident.ts';
import { int64Tensor } from '../../core/onnx/tensors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { DecodeResult, DecoderSession } from './decode-loop.ts';
import type { WorkerDecodeInput } from './decode-worker.ts';
import { N_FRAMES, N_TEXT_CTX, type WhisperPreset } from './presets.ts';

export interface EncodedWindow {
  readonly crossK: Feed;
  readonly crossV: Feed;
}

export interface WhisperGraphs {
  encode(window: Float32Array): Promise<EncodedWindow>;
  openDecoder(encoded: EncodedWindow): DecoderSession;
  close(): Promise<void>;
}

const DECODE_LOOP = new URL('./decode-worker.ts', import.meta.url);

const melFeed = (preset: WhisperPreset, window: Float32Array): TensorData => ({ type: 'float32', data: window, dims: [1, preset.nMels, N_FRAMES] });

export async function encodeWindow(ctx: HandlerContext, preset: WhisperPreset, window: Float32Array): Promise<{ crossK: TensorData; crossV: TensorData }> {
  // encoder: mel [1, n_mels, 3000] → cross K/V [layers, 1, 1500, state]
  const out = await ctx.graphs.encoder!.run({ mel: melFeed(preset, window) }, { signal: ctx.signal });
  return { crossK: out.n_layer_cross_k!, crossV: out.n_layer_cross_v! };
}

/** A decoder session that passes every tensor by value (the caches cross threads each step). */
export function openDecoderSession(ctx: HandlerContext, preset: WhisperPreset, encoded: { crossK: TensorData; crossV: TensorData }): DecoderSession {
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
      return rowsOf(out.logits!, tokens.length);
    },
  };
}

function rowsOf(logits: TensorData, count: number): Float32Array[] {
  const vocab = logits.dims[2]!;
  const data = logits.data as Float32Array;
  return Array.from({ length: count }, (_, i) => data.subarray(i * vocab, (i + 1) * vocab));
}

/** Both graphs for one transcription: resident in one worker when the handles allow it. */
export async function openWhisperGraphs(ctx: HandlerContext, preset: WhisperPreset): Promise<WhisperGraphs> {
  const decoder = ctx.graphs.decoder!;
  if (!decoder.open) {
    return {
      encode: (window) => encodeWindow(ctx, preset, window),
      openDecoder: (encoded) => openDecoderSession(ctx, preset, encoded as { crossK: TensorData; crossV: TensorData }),
      close: async () => undefined,
    };
  }
  const session = await decoder.open({ signal: ctx.signal, with: ['encoder'] });
  return {
    async encode(window) {
      // encoder: mel [1, n_mels, 3000] → cross K/V [layers, 1, 1500, state], kept in the worker
      const { kept } = await session.run('encoder', { mel: melFeed(preset, window) }, { keep: { n_layer_cross_k: 'crossK', n_layer_cross_v: 'crossV' } });
      return { crossK: kept.n_layer_cross_k!, crossV: kept.n_layer_cross_v! };
    },
    openDecoder: (encoded) => residentDecoder(session, preset, encoded),
    close: () => session.close(),
  };
}

/**
 * decode() runs decodeOnce inside the worker; feed() (language detection: one step) keeps
 * the caches resident and brings back only the logits.
 */
function residentDecoder(session: GraphSession, preset: WhisperPreset, encoded: EncodedWindow): DecoderSession {
  let cache: { k: Feed; v: Feed } | undefined;
  let offset = 0;
  return {
    async feed(tokens) {
      if (offset + tokens.length > N_TEXT_CTX) throw new Error(`Whisper's decoder holds ${N_TEXT_CTX} positions; ${offset + tokens.length} were asked for`);
      if (!cache) {
        const empty = { type: 'float32', dims: [preset.layers, 1, N_TEXT_CTX, preset.state] } as const;
        const zeros = await session.zeros({ zeroK: empty, zeroV: empty });
        cache = { k: zeros.zeroK!, v: zeros.zeroV! };
      }
      const { outputs, kept } = await session.run(
        'decoder',
        {
          tokens: int64Tensor(tokens, [1, tokens.length]),
          in_n_layer_self_k_cache: cache.k,
          in_n_layer_self_v_cache: cache.v,
          n_layer_cross_k: encoded.crossK,
          n_layer_cross_v: encoded.crossV,
          offset: int64Tensor([offset], [1]),
        },
        { keep: { out_n_layer_self_k_cache: 'selfK', out_n_layer_self_v_cache: 'selfV' } },
      );
      cache = { k: kept.out_n_layer_self_k_cache!, v: kept.out_n_layer_self_v_cache! };
      offset += tokens.length;
      return rowsOf(outputs.logits!, tokens.length);
    },
    decode(settings, temperature) {
      const { signal: _signal, ...rest } = settings;
      const input: WorkerDecodeInput = { settings: rest, temperature, layers: preset.layers, state: preset.state };
      return session.loop<DecodeResult>(DECODE_LOOP, input);
    },
  };
}
