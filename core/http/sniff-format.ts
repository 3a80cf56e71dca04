// Tells an upload's format from its first bytes, never from its name or declared type.
import { open } from 'node:fs/promises';

export const AUDIO_FORMATS = ['wav', 'mp3', 'flac', 'ogg-vorbis', 'ogg-opus'] as const;
export type SniffedFormat = (typeof AUDIO_FORMATS)[number] | 'npy' | 'unknown';

const ascii = (bytes: Uint8Array, start: number, text: string) =>
  text.split('').every((c, i) => bytes[start + i] === c.charCodeAt(0));

/** An MPEG audio frame header: 11 sync bits, a valid version, layer, bitrate and rate. */
function isMpegFrame(b: Uint8Array, i: number): boolean {
  if (i + 4 > b.length || b[i] !== 0xff || (b[i + 1]! & 0xe0) !== 0xe0) return false;
  const version = (b[i + 1]! >> 3) & 3;
  const layer = (b[i + 1]! >> 1) & 3;
  const bitrate = b[i + 2]! >> 4;
  const rate = (b[i + 2]! >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

const KBPS_V1 = [[0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448], [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384], [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]];
const KBPS_V2 = [[0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256], [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160], [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]];
const RATES: Record<number, readonly number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** Bytes in the MPEG frame starting at `i` (a valid header). */
function mpegFrameLength(b: Uint8Array, i: number): number {
  const version = (b[i + 1]! >> 3) & 3;
  const layer = 4 - ((b[i + 1]! >> 1) & 3);
  const kbps = (version === 3 ? KBPS_V1 : KBPS_V2)[layer - 1]![b[i + 2]! >> 4]!;
  const rate = RATES[version]![(b[i + 2]! >> 2) & 3]!;
  const padding = (b[i + 2]! >> 1) & 1;
  if (layer === 1) return (Math.floor((12 * kbps * 1000) / rate) + padding) * 4;
  const perFrame = layer === 3 && version !== 3 ? 72 : 144;
  return Math.floor((perFrame * kbps * 1000) / rate) + padding;
}

/**
 * Raw MPEG audio has no magic number, only frame sync bits that random bytes match too:
 * ask for a whole first frame and a second one where the first one's length says it
 * starts (when the bytes reach that far).
 */
function isMpegStream(b: Uint8Array, i: number, size: number): boolean {
  if (!isMpegFrame(b, i)) return false;
  const next = i + mpegFrameLength(b, i);
  if (next > size) return false; // not even one whole frame
  return next + 4 > Math.min(b.length, size) || isMpegFrame(b, next);
}

/** `size` is the whole file's size when known (the bytes may be only its start). */
export function sniffBytes(b: Uint8Array, size = b.length): SniffedFormat {
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
    const tagSize = ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
    const after = 10 + tagSize;
    if (after + 4 > size) return 'unknown'; // a tag and no audio after it
    if (after + 4 > b.length) return 'mp3'; // a long tag (cover art): the decoder will tell
    return isMpegStream(b, after, size) ? 'mp3' : 'unknown';
  }
  if (isMpegStream(b, 0, size)) return 'mp3';
  return 'unknown';
}

export async function sniffFile(path: string): Promise<SniffedFormat> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return sniffBytes(buffer.subarray(0, bytesRead), (await handle.stat()).size);
  } finally {
    await handle.close();
  }
}
