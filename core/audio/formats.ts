// The formats the audio workers read and write, and the answers' content types. Kept apart
// from the codecs: the main thread (routes, OpenAPI, the toolkit) needs the names, not the
// WASM decoders and encoders, which only the audio workers load.

/** What uploads may be: WAV read by our own reader, the others by the WASM decoders. */
export const DECODABLE_FORMATS = ['wav', 'mp3', 'flac', 'ogg-vorbis', 'ogg-opus'] as const;
export type DecodableFormat = (typeof DECODABLE_FORMATS)[number];

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
