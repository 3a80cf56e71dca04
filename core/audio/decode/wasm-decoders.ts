// MP3, FLAC, Ogg Vorbis and Ogg Opus through the WASM decoders, fed in slices so the
// duration limit stops a lying file early instead of after it has filled memory.
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { errors } from '../../errors.ts';
import type { DecodableFormat } from '../formats.ts';
import { declaredLength } from './declared-length.ts';
import { type DecodeLimits, PcmCollector, tooLong } from './pcm-collector.ts';

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

interface StreamDecoder {
  ready: Promise<void>;
  decode(bytes: Uint8Array): Decoded | Promise<Decoded>;
  flush?(): Promise<Decoded>;
  free(): void;
}

// Small slices: the limit is checked after each, so even packets of near-silence cannot
// decode to much more than the limit allows.
const SLICE = 16 * 1024;

const makers: Record<Exclude<DecodableFormat, 'wav'>, () => StreamDecoder> = {
  mp3: () => new MPEGDecoder({ enableGapless: true }) as unknown as StreamDecoder,
  flac: () => new FLACDecoder() as unknown as StreamDecoder,
  'ogg-vorbis': () => new OggVorbisDecoder() as unknown as StreamDecoder,
  'ogg-opus': () => new OggOpusDecoder() as unknown as StreamDecoder,
};


export async function decodeCompressed(bytes: Uint8Array, format: string, limits: DecodeLimits): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  const make = Object.hasOwn(makers, format) ? makers[format as keyof typeof makers] : undefined;
  if (!make) throw errors.unsupportedMediaType(`${limits.field}: ${format} audio cannot be decoded`);
  const declared = declaredLength(bytes, format);
  if (declared && declared.samples / declared.sampleRate > limits.maxSeconds) throw tooLong(limits, declared.samples / declared.sampleRate);
  // Opus encoders pad the last packet; the final granule says where the audio ends (RFC 7845 §4.4).
  const expectedFrames = format === 'ogg-opus' ? declared?.samples : undefined;
  const decoder = make();
  await decoder.ready;
  const collector = new PcmCollector(limits);
  const problems: string[] = [];
  const take = (result: Decoded) => {
    for (const e of result.errors ?? []) problems.push(e.message);
    // Results without samples carry stale rate/channel fields: ignore them.
    if (result.samplesDecoded > 0) collector.push(result.channelData, result.sampleRate, result.samplesDecoded);
  };
  try {
    for (let offset = 0; offset < bytes.length; offset += SLICE) take(await decoder.decode(bytes.subarray(offset, offset + SLICE)));
    if (decoder.flush) take(await decoder.flush());
  } catch (error) {
    if ((error as { status?: number }).status) throw error;
    throw errors.badAudio(limits.field, `the ${format} stream is corrupt (${(error as Error).message ?? error})`);
  } finally {
    decoder.free();
  }
  if (collector.length === 0) {
    throw errors.badAudio(limits.field, `no ${format} audio could be decoded${problems.length ? ` (${problems[0]})` : ''}`);
  }
  if (expectedFrames !== undefined && expectedFrames > 0 && collector.length > expectedFrames) collector.truncate(expectedFrames);
  return collector.finish();
}
