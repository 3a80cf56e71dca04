// Float32 PCM → response bytes in one of the supported formats. Runs inside an audio worker.
import { encodeFlac } from './flac-encoder.ts';
import { encodeMp3 } from './mp3-encoder.ts';
import { encodeOggOpus } from './opus-encoder.ts';
import { interleavePcm16 } from './pcm16.ts';
import { encodeWav } from './wav-writer.ts';
import type { EncodeFormat } from '../formats.ts';


export interface EncodeOptions {
  readonly bitrate?: number;
}

export async function encodeAudio(channels: readonly Float32Array[], sampleRate: number, format: EncodeFormat, options: EncodeOptions = {}): Promise<Uint8Array> {
  switch (format) {
    case 'wav':
      return encodeWav(channels, sampleRate, 'pcm16');
    case 'wav-float':
      return encodeWav(channels, sampleRate, 'float32');
    case 'pcm':
      return interleavePcm16(channels);
    case 'mp3':
      return encodeMp3(channels, sampleRate, options);
    case 'flac':
      return encodeFlac(channels, sampleRate);
    case 'opus':
      return encodeOggOpus(channels, sampleRate, options);
  }
}
