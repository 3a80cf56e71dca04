// Tells an upload's format from its first bytes, never from its name or declared type.
import { open } from 'node:fs/promises';

export const AUDIO_FORMATS = ['wav', 'mp3', 'flac', 'ogg-vorbis', 'ogg-opus'] as const;
export type SniffedFormat = (typeof AUDIO_FORMATS)[number] | 'npy' | 'unknown';

const ascii = (bytes: Uint8Array, start: number, text: string) =>
  text.split('').every((c, i) => bytes[start + i] === c.charCodeAt(0));

/** An MPEG audio frame header: 11 sync bits, a valid version, layer, bitrate and rate. */
function isMpegFrame(b: Uint8Array, i: number): boolean {
  if (b[i] !== 0xff || (b[i + 1]! & 0xe0) !== 0xe0) return false;
  const version = (b[i + 1]! >> 3) & 3;
  const layer = (b[i + 1]! >> 1) & 3;
  const bitrate = b[i + 2]! >> 4;
  const rate = (b[i + 2]! >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

export function sniffBytes(b: Uint8Array): SniffedFormat {
  if (b.length >= 12 && (ascii(b, 0, 'RIFF') || ascii(b, 0, 'RF64')) && ascii(b, 8, 'WAVE')) return 'wav';
  if (b.length >= 4 && ascii(b, 0, 'fLaC')) return 'flac';
  if (b.length >= 36 && ascii(b, 0, 'OggS')) {
    // The first page carries the codec's identification header.
    const segments = b[26]!;
    const start = 27 + segments;
    if (ascii(b, start, 'OpusHead')) return 'ogg-opus';
    if (b[start] === 1 && ascii(b, start + 1, 'vorbis')) return 'ogg-vorbis';
    if (ascii(b, start, '\x7fFLAC')) return 'flac';
    return 'unknown';
  }
  if (b.length >= 10 && b[0] === 0x93 && ascii(b, 1, 'NUMPY')) return 'npy';
  if (b.length >= 10 && ascii(b, 0, 'ID3')) {
    // Skip the ID3v2 tag (syncsafe size) and look for a frame after it.
    const size = ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
    const after = 10 + size;
    if (after + 4 > b.length) return 'mp3';
    return isMpegFrame(b, after) ? 'mp3' : 'unknown';
  }
  if (b.length >= 4 && isMpegFrame(b, 0)) return 'mp3';
  return 'unknown';
}

export async function sniffFile(path: string): Promise<SniffedFormat> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return sniffBytes(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
