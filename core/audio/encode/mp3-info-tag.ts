// A LAME "Info" tag in front of a CBR MP3 stream: a silent first frame carrying the frame
// count and the encoder delay and padding, so gapless decoders (mpg123, ffmpeg, browsers)
// drop LAME's leading delay and trailing padding and return exactly the input's samples.
// Layout per the LAME Mp3 Info Tag rev 1 specification.

const BITRATES = {
  mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

interface FrameHeader {
  readonly version: number; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  readonly bitrateIndex: number;
  readonly sampleRate: number;
  readonly mono: boolean;
  readonly length: number;
  readonly samples: number;
}

function parseHeader(b: Uint8Array, i: number): FrameHeader | undefined {
  if (i + 4 > b.length || b[i] !== 0xff || (b[i + 1]! & 0xe0) !== 0xe0) return undefined;
  const version = (b[i + 1]! >> 3) & 3, layer = (b[i + 1]! >> 1) & 3;
  const bitrateIndex = b[i + 2]! >> 4, rateIndex = (b[i + 2]! >> 2) & 3, padding = (b[i + 2]! >> 1) & 1;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const sampleRate = RATES[version]![rateIndex]!;
  const kbps = (version === 3 ? BITRATES.mpeg1 : BITRATES.mpeg2)[bitrateIndex]!;
  const perFrame = version === 3 ? 1152 : 576;
  const length = Math.floor(((perFrame / 8) * kbps * 1000) / sampleRate) + padding;
  return { version, bitrateIndex, sampleRate, mono: (b[i + 3]! >> 6) === 3, length, samples: perFrame };
}

/** CRC-16/ARC (poly 0x8005 reflected), as the LAME tag uses. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc & 0xffff;
}

/**
 * `mp3`: frames from LAME with no tag; `samples`: input samples per channel; `delay`: LAME's
 * encoder delay (576; decoders add their own 529). Returns the stream unchanged if it does
 * not parse as CBR Layer III frames.
 */
export function withInfoTag(mp3: Uint8Array, samples: number, delay = 576): Uint8Array {
  const first = parseHeader(mp3, 0);
  if (!first) return mp3;
  let frames = 0;
  for (let i = 0; i < mp3.length; ) {
    const h = parseHeader(mp3, i);
    if (!h) return mp3;
    frames++;
    i += h.length;
  }
  const sideInfo = first.version === 3 ? (first.mono ? 17 : 32) : first.mono ? 9 : 17;
  const tagStart = 4 + sideInfo;
  const needed = tagStart + 156;
  // The tag frame may use a higher bitrate than the stream when its frames are too small.
  const table = first.version === 3 ? BITRATES.mpeg1 : BITRATES.mpeg2;
  let bitrateIndex = first.bitrateIndex;
  const lengthAt = (index: number) => Math.floor(((first.samples / 8) * table[index]! * 1000) / first.sampleRate);
  while (bitrateIndex < 14 && lengthAt(bitrateIndex) < needed) bitrateIndex++;
  const size = lengthAt(bitrateIndex);
  if (size < needed) return mp3;
  const frame = new Uint8Array(size);
  frame.set(mp3.subarray(0, 4));
  frame[1] = frame[1]! | 1; // no CRC protection on the tag frame
  frame[2] = (bitrateIndex << 4) | (frame[2]! & 0x0c); // keep the rate, clear padding and private bits
  const view = new DataView(frame.buffer);
  const ascii = (at: number, text: string) => [...text].forEach((c, k) => (frame[at + k] = c.charCodeAt(0)));
  ascii(tagStart, 'Info');
  view.setUint32(tagStart + 4, 0x0003, false); // frames and bytes fields present
  view.setUint32(tagStart + 8, frames, false);
  view.setUint32(tagStart + 12, mp3.length + size, false);
  const lame = tagStart + 16;
  ascii(lame, 'LAME3.100');
  frame[lame + 9] = 0x00; // tag revision 0, VBR method: unknown/CBR
  const padding = Math.max(0, frames * first.samples - delay - samples);
  frame[lame + 21] = (Math.min(delay, 4095) >> 4) & 0xff;
  frame[lame + 22] = ((Math.min(delay, 4095) & 0x0f) << 4) | ((Math.min(padding, 4095) >> 8) & 0x0f);
  frame[lame + 23] = Math.min(padding, 4095) & 0xff;
  view.setUint32(lame + 28, mp3.length + size, false); // music length
  view.setUint16(lame + 34, crc16(frame.subarray(0, lame + 34)), false);
  const out = new Uint8Array(size + mp3.length);
  out.set(frame);
  out.set(mp3, size);
  return out;
}
