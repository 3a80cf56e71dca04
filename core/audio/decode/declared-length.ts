// The duration a compressed file declares in its headers, when it declares one: Ogg
// streams by their last granule position, FLAC by STREAMINFO's total samples. Used to
// refuse an over-long file before decoding (413 naming its duration) and to trim Opus
// padding; the decoders still enforce the limit on what they actually produce.
import { lastGranule, opusPreSkip } from './ogg-granule.ts';

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((c, i) => b[at + i] === c.charCodeAt(0));

/** Samples and rate the headers declare, or undefined. */
export function declaredLength(bytes: Uint8Array, format: string): { samples: number; sampleRate: number } | undefined {
  if (format === 'ogg-opus') {
    const granule = lastGranule(bytes), preSkip = opusPreSkip(bytes);
    return granule !== undefined && preSkip !== undefined ? { samples: Math.max(0, granule - preSkip), sampleRate: 48000 } : undefined;
  }
  if (format === 'ogg-vorbis' && bytes.length >= 58) {
    const start = 27 + bytes[26]!;
    if (bytes[start] !== 1 || !ascii(bytes, start + 1, 'vorbis')) return undefined;
    const rate = new DataView(bytes.buffer, bytes.byteOffset).getUint32(start + 12, true);
    const granule = lastGranule(bytes);
    return rate > 0 && granule !== undefined ? { samples: granule, sampleRate: rate } : undefined;
  }
  if (format === 'flac' && bytes.length >= 42 && ascii(bytes, 0, 'fLaC') && (bytes[4]! & 0x7f) === 0) {
    // STREAMINFO: rate 20 bits at byte 18, then channels 3, bits 5, total samples 36.
    const rate = (bytes[18]! << 12) | (bytes[19]! << 4) | (bytes[20]! >> 4);
    const samples = (bytes[21]! & 0x0f) * 2 ** 32 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(22, false);
    return rate > 0 && samples > 0 ? { samples, sampleRate: rate } : undefined;
  }
  return undefined;
}
