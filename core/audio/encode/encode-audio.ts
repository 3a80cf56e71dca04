// Float32 PCM → response bytes in one of the supported formats. Runs inside an audio worker.
import { encodeFlac } from './flac-encoder.ts';
import { encodeMp3 } from './mp3-encoder.ts';
import { encodeOggOpus } from './opus-encoder.ts';
import { interleavePcm16 } from './pcm16.ts';
import { encodeWav } from './wav-writer.ts';

/** Response formats, the hub default first. `wav-float` is 32-bit float WAV. */
export const ENCODE_FORMATS = ['wav', 'mp3', 'flac', 'opus', 'pcm', 'wav-float'] as const;
export type EncodeFormat = (typeof ENCODE_FORMATS)[number];

export const CONTENT_TYPES: Record<EncodeFormat, string> = {
  wav: 'audio/wav',
  'wav-float': 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  opus: 'audio/ogg; codecs=opus',
  // Raw signed 16-bit little-endian; the rate and channel count go in response headers.
  pcm: 'audio/pcm',
};

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
