// Bytes → float32 PCM at the requested rate: format dispatch, duration limit, downmix,
// resampling. Runs inside an audio worker.
import { errors } from '../../errors.ts';
import { resampleChannels } from '../resample.ts';
import { downmix, type DecodeLimits } from './pcm-collector.ts';
import { decodeWav } from './wav-reader.ts';
import { decodeCompressed } from './wasm-decoders.ts';
import { DECODABLE_FORMATS } from '../formats.ts';

export interface DecodeRequest extends DecodeLimits {
  readonly format: string;
  /** Resample to this rate; undefined keeps the file's. */
  readonly sampleRate?: number;
}

export async function decodeAudioBytes(bytes: Uint8Array, request: DecodeRequest): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  const { format, field } = request;
  if (!(DECODABLE_FORMATS as readonly string[]).includes(format)) {
    throw errors.unsupportedMediaType(`${field}: ${format === 'unknown' ? 'the bytes are not a recognised audio format' : `${format} cannot be decoded`}; accepted: ${DECODABLE_FORMATS.join(', ')}`);
  }
  const decoded = format === 'wav' ? decodeWav(bytes, request) : await decodeCompressed(bytes, format, request);
  let channels = request.mono && decoded.channels.length > 1 ? [downmix(decoded.channels)] : decoded.channels;
  let sampleRate = decoded.sampleRate;
  if (request.sampleRate && request.sampleRate !== sampleRate) {
    channels = resampleChannels(channels, sampleRate, request.sampleRate);
    sampleRate = request.sampleRate;
  }
  return { channels, sampleRate };
}
