// High-quality sample-rate conversion with the Speex resampler (WASM). Output length is
// exactly ceil(n · to / from) (librosa's convention) and aligned with the input: the
// filter's leading delay is skipped and its tail flushed with zeros.
import SpeexResampler, { type SpeexModule } from '@echogarden/speex-resampler-wasm/simd';

let speex: Promise<SpeexModule> | undefined;
const CHUNK = 1 << 16;

export function resampledLength(frames: number, from: number, to: number): number {
  return Math.ceil((frames * to) / from);
}

export function checkRate(rate: number, what: string): void {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 768000) throw new RangeError(`${what} must be an integer from 1000 to 768000 Hz, got ${rate}`);
}

export async function resampleChannel(input: Float32Array, from: number, to: number, quality: number): Promise<Float32Array> {
  checkRate(from, 'source rate');
  checkRate(to, 'target rate');
  if (!Number.isInteger(quality) || quality < 0 || quality > 10) throw new RangeError(`resampler quality must be 0..10, got ${quality}`);
  if (from === to) return input.slice();
  const m = await (speex ??= SpeexResampler());
  const expected = resampledLength(input.length, from, to);
  const output = new Float32Array(expected);
  const outCapacity = Math.ceil((CHUNK * to) / from) + 64;
  const errorPointer = m._malloc(4);
  const state = m._speex_resampler_init(1, from, to, quality, errorPointer);
  const inPointer = m._malloc(CHUNK * 4), outPointer = m._malloc(outCapacity * 4), lengths = m._malloc(8);
  try {
    if (!state) throw new Error(`speex resampler could not start (${from} → ${to} Hz)`);
    m._speex_resampler_skip_zeros(state);
    const latency = m._speex_resampler_get_input_latency(state);
    let written = 0;
    const feed = (chunk: Float32Array) => {
      let offset = 0;
      while (offset < chunk.length && written < expected) {
        const take = Math.min(CHUNK, chunk.length - offset);
        m.HEAPF32.set(chunk.subarray(offset, offset + take), inPointer >> 2);
        m.HEAPU32[lengths >> 2] = take;
        m.HEAPU32[(lengths >> 2) + 1] = outCapacity;
        m._speex_resampler_process_float(state, 0, inPointer, lengths, outPointer, lengths + 4);
        const consumed = m.HEAPU32[lengths >> 2]!, produced = m.HEAPU32[(lengths >> 2) + 1]!;
        const keep = Math.min(produced, expected - written);
        output.set(m.HEAPF32.subarray(outPointer >> 2, (outPointer >> 2) + keep), written);
        written += keep;
        if (consumed === 0 && produced === 0) break;
        offset += consumed;
      }
    };
    feed(input);
    // Flush the filter's tail; a few rounds at most.
    for (let round = 0; round < 4 && written < expected; round++) feed(new Float32Array(latency + 64));
    return output;
  } finally {
    if (state) m._speex_resampler_destroy(state);
    for (const pointer of [errorPointer, inPointer, outPointer, lengths]) m._free(pointer);
  }
}

export async function resampleChannels(channels: readonly Float32Array[], from: number, to: number, quality: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const channel of channels) out.push(await resampleChannel(channel, from, to, quality));
  return out;
}
