// OpenAI clients play `pcm` as 24 kHz 16-bit mono: raw samples carry no rate, so pcm at a
// model's own rate (22 050 Hz for espeak) would play at the wrong speed and pitch. Formats
// whose header carries the rate (wav, mp3, flac, opus) keep the model's rate.
import type { AudioToolkit } from '../../audio/toolkit.ts';
import type { AudioChunk } from './synthesize.ts';

export const OPENAI_PCM_RATE = 24000;

/**
 * The chunks at `rate`, each resampled with the core resampler. Whole and streamed answers
 * both pass through here chunk by chunk, so they carry the same samples; chunks meet at
 * faded joins (joins.ts), where resampling them apart leaves no step.
 */
export async function* chunksAtRate(chunks: AsyncIterable<AudioChunk>, rate: number, audio: Pick<AudioToolkit, 'resample'>): AsyncGenerator<AudioChunk> {
  for await (const chunk of chunks) {
    yield chunk.sampleRate === rate ? chunk : { samples: await audio.resample(chunk.samples, chunk.sampleRate, rate), sampleRate: rate };
  }
}
