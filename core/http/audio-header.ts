// Reads what an upload's header claims (rate, channels, length) without decoding it, and
// refuses claims no real file makes: 10 000 channels, a 0 Hz rate, 4 GB of data in a
// 1 KB file, a header cut short. Cheap enough to run on every upload before the handler,
// so an over-long file is refused (413) before anything decodes it.
import { open } from 'node:fs/promises';
import { errors } from '../errors.ts';
import { formatBytes } from './format-bytes.ts';

export interface HeaderFacts {
  readonly sampleRate?: number;
  readonly channels?: number;
  /** Seconds of audio the header (or the file size) implies; undefined when it cannot tell cheaply. */
  readonly durationSeconds?: number;
}

export const MAX_CHANNELS = 64;
export const MIN_RATE = 1000;
export const MAX_RATE = 768_000;
const HEAD_BYTES = 64 * 1024;

interface Source {
  readonly field: string;
  /** Up to `length` bytes from `position` (fewer at the end). */
  readonly read: (position: number, length: number) => Promise<Buffer>;
  readonly size: number;
  readonly head: Buffer;
  /** Only the first bytes of a body still streaming: judge what the header declares, not the size. */
  readonly prefix?: boolean;
}


function bad(field: string, what: string): never {
  throw errors.badAudio(field, what);
}

function checkRateAndChannels(field: string, kind: string, sampleRate: number, channels: number): void {
  if (channels < 1 || channels > MAX_CHANNELS) bad(field, `the ${kind} header claims ${channels} channels; 1 to ${MAX_CHANNELS} are accepted`);
  if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) bad(field, `the ${kind} header claims a sample rate of ${sampleRate} Hz; ${MIN_RATE} to ${MAX_RATE} Hz are accepted`);
}

// --- WAV (RIFF / RF64) ------------------------------------------------------------------

const WAV_ENCODINGS: Record<number, { name: string; bits: readonly number[] }> = {
  1: { name: 'PCM', bits: [8, 16, 24, 32] },
  3: { name: 'IEEE float', bits: [32, 64] },
  6: { name: 'A-law', bits: [8] },
  7: { name: 'µ-law', bits: [8] },
};
/** Writers that stream (pipes, live capture) leave the data size at 0 or 0xFFFFFFFF. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);
const MAX_CHUNKS = 64;

async function wavFacts(source: Source): Promise<HeaderFacts> {
  const { field, size } = source;
  if (size < 12) bad(field, 'the wav header is truncated');
  const rf64 = source.head.toString('latin1', 0, 4) === 'RF64';
  let fmt: { channels: number; sampleRate: number; blockAlign: number } | undefined;
  let rf64DataSize: number | undefined;
  let offset = 12;
  for (let chunk = 0; chunk < MAX_CHUNKS; chunk++) {
    const header = await source.read(offset, 8);
    if (header.length < 8) bad(field, fmt ? 'the wav file has no data chunk' : 'the wav file has no fmt chunk');
    const id = header.toString('latin1', 0, 4);
    const length = header.readUInt32LE(4);
    const body = offset + 8;
    if (id === 'ds64' && rf64) {
      const ds64 = await source.read(body, 16);
      if (ds64.length < 16) bad(field, 'the rf64 ds64 chunk is truncated');
      rf64DataSize = Number(ds64.readBigUInt64LE(8));
    } else if (id === 'fmt ') {
      if (length < 16) bad(field, `the wav fmt chunk is ${length} bytes; at least 16 are needed`);
      const f = await source.read(body, Math.min(length, 40));
      if (f.length < 16) bad(field, 'the wav fmt chunk is truncated');
      let tag = f.readUInt16LE(0);
      const channels = f.readUInt16LE(2);
      const sampleRate = f.readUInt32LE(4);
      const blockAlign = f.readUInt16LE(12);
      const bits = f.readUInt16LE(14);
      if (tag === 0xfffe) {
        if (f.length < 26) bad(field, 'the wav extensible fmt chunk is truncated');
        tag = f.readUInt16LE(24); // first two bytes of the sub-format GUID
      }
      const encoding = WAV_ENCODINGS[tag];
      if (!encoding) throw errors.unsupportedMediaType(`${field}: wav encoding 0x${tag.toString(16).padStart(4, '0')} is not supported; PCM, IEEE float, A-law and µ-law are`);
      if (!encoding.bits.includes(bits)) throw errors.unsupportedMediaType(`${field}: ${bits}-bit ${encoding.name} wav is not supported; ${encoding.bits.join(', ')}-bit are`);
      checkRateAndChannels(field, 'wav', sampleRate, channels);
      if (blockAlign !== (channels * bits) / 8) bad(field, `the wav header's block align (${blockAlign}) does not match ${channels} channels of ${bits} bits`);
      fmt = { channels, sampleRate, blockAlign };
    } else if (id === 'data') {
      if (!fmt) bad(field, 'the wav data chunk comes before its fmt chunk');
      const available = size - body;
      const claimed = rf64 && length === 0xffffffff && rf64DataSize !== undefined ? rf64DataSize : length;
      if (source.prefix) {
        if (UNKNOWN_SIZES.has(claimed)) return { sampleRate: fmt.sampleRate, channels: fmt.channels };
        return { sampleRate: fmt.sampleRate, channels: fmt.channels, durationSeconds: Math.floor(claimed / fmt.blockAlign) / fmt.sampleRate };
      }
      let bytes = claimed;
      if (UNKNOWN_SIZES.has(claimed)) bytes = available;
      else if (claimed > available) bad(field, `the wav header claims ${formatBytes(claimed)} of audio data but the file holds ${formatBytes(Math.max(available, 0))}`);
      const frames = Math.floor(bytes / fmt.blockAlign);
      if (frames === 0) bad(field, 'the wav file holds no audio samples');
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, durationSeconds: frames / fmt.sampleRate };
    }
    offset = body + length + (length % 2); // chunks are word-aligned
  }
  bad(field, `the wav file has more than ${MAX_CHUNKS} chunks before its audio data`);
}

// --- FLAC -------------------------------------------------------------------------------

function flacFacts(source: Source): HeaderFacts {
  const { field, head } = source;
  // "fLaC", then a metadata block header whose type is STREAMINFO (0) and length 34.
  if (head.length < 42 || (head[4]! & 0x7f) !== 0 || head.readUIntBE(5, 3) !== 34) bad(field, 'the flac STREAMINFO block is missing or truncated');
  const info = head.subarray(8, 42);
  const sampleRate = (info[10]! << 12) | (info[11]! << 4) | (info[12]! >> 4);
  const channels = ((info[12]! >> 1) & 7) + 1;
  const totalSamples = (info[13]! & 0x0f) * 2 ** 32 + info.readUInt32BE(14);
  checkRateAndChannels(field, 'flac', sampleRate, channels);
  // A total of 0 means "unknown" (the encoder could not seek back to write it).
  return { sampleRate, channels, durationSeconds: totalSamples ? totalSamples / sampleRate : undefined };
}

// --- MP3 --------------------------------------------------------------------------------

const MPEG_RATES: Record<number, readonly number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };
// kbps by [version 1 | 2/2.5][layer I, II, III]
const MPEG_BITRATES = {
  v1: [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  v2: [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
} as const;

function mp3Facts(source: Source): HeaderFacts {
  const { head, size } = source;
  let start = 0;
  if (head.toString('latin1', 0, 3) === 'ID3' && head.length >= 10) {
    start = 10 + (((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f));
  }
  if (start + 4 > head.length) return {}; // a long tag: leave the length to the decoder
  const b1 = head[start + 1]!;
  const b2 = head[start + 2]!;
  const version = (b1 >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layer = 4 - ((b1 >> 1) & 3); // 1, 2 or 3
  const sampleRate = MPEG_RATES[version]?.[(b2 >> 2) & 3];
  const kbps = MPEG_BITRATES[version === 3 ? 'v1' : 'v2'][layer - 1]?.[b2 >> 4];
  const channels = head[start + 3]! >> 6 === 3 ? 1 : 2;
  if (!sampleRate || !kbps) return {};
  const samplesPerFrame = layer === 1 ? 384 : layer === 2 || version === 3 ? 1152 : 576;
  // A Xing/Info (VBR) or VBRI header in the first frame gives the frame count.
  const sideInfo = version === 3 ? (channels === 1 ? 17 : 32) : channels === 1 ? 9 : 17;
  const xing = start + 4 + sideInfo;
  const tag = head.toString('latin1', xing, xing + 4);
  if ((tag === 'Xing' || tag === 'Info') && head.length >= xing + 12 && head.readUInt32BE(xing + 4) & 1) {
    return { sampleRate, channels, durationSeconds: (head.readUInt32BE(xing + 8) * samplesPerFrame) / sampleRate };
  }
  const vbri = start + 36;
  if (head.toString('latin1', vbri, vbri + 4) === 'VBRI' && head.length >= vbri + 18) {
    return { sampleRate, channels, durationSeconds: (head.readUInt32BE(vbri + 14) * samplesPerFrame) / sampleRate };
  }
  // Constant bit rate: the byte count gives the length (unknown while the body streams).
  if (source.prefix) return { sampleRate, channels };
  return { sampleRate, channels, durationSeconds: ((size - start) * 8) / (kbps * 1000) };
}

// --- Ogg (Vorbis, Opus) ----------------------------------------------------------------

async function oggFacts(source: Source, codec: 'opus' | 'vorbis'): Promise<HeaderFacts> {
  const { field, head, size } = source;
  if (source.prefix) return {}; // the length is on the last page
  const serial = head.readUInt32LE(14);
  const packet = 27 + head[26]!;
  let sampleRate: number;
  let channels: number;
  let preSkip = 0;
  if (codec === 'opus') {
    if (head.length < packet + 19) bad(field, 'the OpusHead header is truncated');
    channels = head[packet + 9]!;
    preSkip = head.readUInt16LE(packet + 10);
    sampleRate = 48000; // Opus granule positions always count 48 kHz samples
    checkRateAndChannels(field, 'opus', head.readUInt32LE(packet + 12) || 48000, channels);
  } else {
    if (head.length < packet + 16) bad(field, 'the vorbis identification header is truncated');
    channels = head[packet + 11]!;
    sampleRate = head.readUInt32LE(packet + 12);
    checkRateAndChannels(field, 'vorbis', sampleRate, channels);
  }
  // The last page of the stream carries its final granule position: the sample count.
  const tailStart = Math.max(0, size - HEAD_BYTES);
  const tail = await source.read(tailStart, size - tailStart);
  for (let at = tail.lastIndexOf('OggS'); at >= 0; at = at > 0 ? tail.lastIndexOf('OggS', at - 1) : -1) {
    if (at + 27 > tail.length || tail[at + 4] !== 0 || tail.readUInt32LE(at + 14) !== serial) continue;
    const granule = tail.readBigInt64LE(at + 6);
    if (granule < 0n) continue; // -1: no packet ends on this page
    return { sampleRate, channels, durationSeconds: Math.max(0, Number(granule) - preSkip) / sampleRate };
  }
  return { sampleRate, channels };
}

/** Facts from the header of an upload already sniffed as `format`; throws 400/415 for absurd ones. */
/** `file`: a path, or the bytes themselves (an upload kept in memory). */
export async function readHeaderFacts(file: string | Uint8Array, format: string, field: string): Promise<HeaderFacts> {
  if (typeof file !== 'string') {
    const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
    const read = async (position: number, length: number) => bytes.subarray(position, position + length);
    return factsOf({ field, read, size: bytes.length, head: bytes.subarray(0, HEAD_BYTES) }, format);
  }
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    const read = async (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    return await factsOf({ field, read, size, head }, format);
  } finally {
    await handle.close();
  }
}

/**
 * What the first bytes of an upload still streaming declare (WAV and RF64 data sizes, FLAC
 * STREAMINFO, MP3 Xing/VBRI frame counts), so an over-long file is refused before the rest
 * arrives. Undefined while the header is incomplete or says nothing; the whole file is
 * checked again once received.
 */
export async function declaredFacts(prefix: Buffer, format: string, field: string): Promise<HeaderFacts | undefined> {
  const read = async (position: number, length: number) => prefix.subarray(position, position + length);
  try {
    return await factsOf({ field, read, size: prefix.length, head: prefix.subarray(0, HEAD_BYTES), prefix: true }, format);
  } catch {
    return undefined; // a header cut at this chunk's end, or one the full check will refuse
  }
}

async function factsOf(source: Source, format: string): Promise<HeaderFacts> {
  switch (format) {
    case 'wav':
      return wavFacts(source);
    case 'flac':
      return source.head.toString('latin1', 0, 4) === 'fLaC' ? flacFacts(source) : {};
    case 'mp3':
      return mp3Facts(source);
    case 'ogg-opus':
      return oggFacts(source, 'opus');
    case 'ogg-vorbis':
      return oggFacts(source, 'vorbis');
    default:
      return {};
  }
}
