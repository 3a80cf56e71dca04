// Audio files built byte by byte: honest ones of a chosen length, and ones whose headers
// lie (absurd channel counts, data sizes the file does not hold, cut-short headers).

export interface WavHeader {
  readonly format?: number;
  readonly channels?: number;
  readonly sampleRate?: number;
  readonly bits?: number;
  readonly blockAlign?: number;
  /** What the data chunk's size field claims (defaults to the bytes really present). */
  readonly claimedDataBytes?: number;
  readonly dataBytes?: number;
  readonly riff?: 'RIFF' | 'RF64';
}

export function wavFile(h: WavHeader = {}): Buffer {
  const channels = h.channels ?? 1;
  const sampleRate = h.sampleRate ?? 16000;
  const bits = h.bits ?? 16;
  const blockAlign = h.blockAlign ?? (channels * bits) / 8;
  const dataBytes = h.dataBytes ?? 3200;
  const out = Buffer.alloc(44 + dataBytes);
  out.write(h.riff ?? 'RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(h.format ?? 1, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE((sampleRate * blockAlign) >>> 0, 28);
  out.writeUInt16LE(blockAlign & 0xffff, 32);
  out.writeUInt16LE(bits, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(h.claimedDataBytes ?? dataBytes, 40);
  for (let i = 44; i < out.length; i += 2) out.writeInt16LE(Math.round(8000 * Math.sin(i / 10)), i);
  return out;
}

/** A WAV of `seconds` of 16-bit mono at `sampleRate`. */
export const wavOfSeconds = (seconds: number, sampleRate = 8000) => wavFile({ sampleRate, dataBytes: Math.round(seconds * sampleRate) * 2 });

/** `frames` MPEG-1 Layer III frames at 128 kb/s, 44.1 kHz (417 bytes each, 1152 samples). */
export function mp3Frames(frames: number): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

/** A FLAC stream header whose STREAMINFO claims `totalSamples` at `sampleRate` (no frames follow). */
export function flacHeader(options: { sampleRate: number; totalSamples: number; channels?: number }): Buffer {
  const out = Buffer.alloc(42 + 64);
  out.write('fLaC', 0, 'latin1');
  out[4] = 0x80; // last metadata block, type 0 (STREAMINFO)
  out.writeUIntBE(34, 5, 3);
  const info = out.subarray(8, 42);
  info.writeUInt16BE(4096, 0);
  info.writeUInt16BE(4096, 2);
  const { sampleRate, totalSamples } = options;
  const channels = (options.channels ?? 1) - 1;
  const bps = 16 - 1;
  info[10] = (sampleRate >> 12) & 0xff;
  info[11] = (sampleRate >> 4) & 0xff;
  info[12] = ((sampleRate & 0x0f) << 4) | (channels << 1) | (bps >> 4);
  info[13] = ((bps & 0x0f) << 4) | Math.floor(totalSamples / 2 ** 32);
  info.writeUInt32BE(totalSamples % 2 ** 32, 14);
  return out;
}

function oggPage(options: { granule: bigint; serial: number; sequence: number; packet: Buffer; first?: boolean }): Buffer {
  const header = Buffer.alloc(27 + 1);
  header.write('OggS', 0, 'latin1');
  header[4] = 0;
  header[5] = options.first ? 2 : 0;
  header.writeBigInt64LE(options.granule, 6);
  header.writeUInt32LE(options.serial, 14);
  header.writeUInt32LE(options.sequence, 18);
  header[26] = 1;
  header[27] = options.packet.length;
  return Buffer.concat([header, options.packet]);
}

/** An Ogg Opus stream: OpusHead page, then a last page whose granule position is `seconds` at 48 kHz. */
export function oggOpus(options: { seconds: number; channels?: number }): Buffer {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1;
  head[9] = options.channels ?? 1;
  head.writeUInt16LE(312, 10);
  head.writeUInt32LE(48000, 12);
  const serial = 0x1234;
  return Buffer.concat([
    oggPage({ granule: 0n, serial, sequence: 0, packet: head, first: true }),
    oggPage({ granule: 0n, serial, sequence: 1, packet: Buffer.from('OpusTags\0\0\0\0\0\0\0\0', 'latin1') }),
    oggPage({ granule: BigInt(Math.round(options.seconds * 48000) + 312), serial, sequence: 2, packet: Buffer.alloc(60, 0x11) }),
  ]);
}
