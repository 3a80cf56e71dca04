// Whisper's decodeOnce run inside the ONNX worker that holds the decoder (GraphSession.loop):
// the self-attention cache is made and kept here, the cross-attention keys/values are the
// encoder outputs the session kept resident, and the 51,865 logits of every step are read
// here. Only the settings go in and the DecodeResult comes out.
import { defineWorkerLoop, type LoopTensor } from '../../core/onnx/worker-loop.ts';
import { decodeOnce, type DecoderSession, type DecodeSettings } from './decode-loop.ts';
import { N_TEXT_CTX } from './presets.ts';

export interface WorkerDecodeInput {
  readonly settings: Omit<DecodeSettings, 'signal'>;
  readonly temperature: number;
  readonly layers: number;
  readonly state: number;
}

export default defineWorkerLoop(async (io, input: WorkerDecodeInput) => {
  const cacheDims = [input.layers, 1, N_TEXT_CTX, input.state];
  const empty = () => io.tensor('float32', new Float32Array(input.layers * N_TEXT_CTX * input.state), cacheDims);
  let selfK: LoopTensor = empty();
  let selfV: LoopTensor = empty();
  let offset = 0;
  const session: DecoderSession = {
    async feed(tokens) {
      if (offset + tokens.length > N_TEXT_CTX) throw new Error(`Whisper's decoder holds ${N_TEXT_CTX} positions; ${offset + tokens.length} were asked for`);
      // decoder: tokens [1, n] at positions offset… → logits [1, n, vocab], updated caches
      const out = await io.run('decoder', {
        tokens: io.tensor('int64', BigInt64Array.from(tokens, (t) => BigInt(t)), [1, tokens.length]),
        in_n_layer_self_k_cache: selfK,
        in_n_layer_self_v_cache: selfV,
        n_layer_cross_k: io.resident('crossK'),
        n_layer_cross_v: io.resident('crossV'),
        offset: io.tensor('int64', BigInt64Array.of(BigInt(offset)), [1]),
      });
      selfK = out.out_n_layer_self_k_cache!;
      selfV = out.out_n_layer_self_v_cache!;
      offset += tokens.length;
      const logits = out.logits!;
      const vocab = logits.dims[2]!;
      const data = logits.data as Float32Array;
      return tokens.map((_, i) => data.subarray(i * vocab, (i + 1) * vocab));
    },
  };
  // decodeOnce checks the signal before every token: a cancelled request stops here.
  const signal = { throwIfAborted: () => io.throwIfCancelled() } as AbortSignal;
  return decodeOnce(session, { ...input.settings, signal }, input.temperature);
});
