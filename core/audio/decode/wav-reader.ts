// A RIFF/RF64 WAVE reader written for untrusted input: walks chunks with their pad bytes,
// reads PCM 8/16/24/32-bit, float 32/64 and WAVE_FORMAT_EXTENSIBLE, clamps a data size
// that claims more than the file holds (and streaming headers' 0 / 0xFFFFFFFF), and checks
// the duration against the limit before converting a single sample.
import { errors } from '../../errors.ts';
import { checkStreamShape, tooLong, type DecodeLimits, PcmCollector } from './pcm-collector.ts';

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

interface WavLayout {
  readonly encoding: 'pcm' | 'float';
  readonly bits: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly dataOffset: number;
  readonly frames: number;
}

const ascii = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

export function readWavLayout(bytes: Uint8Array, field: string): WavLayout {
  const bad = (reason: string) => errors.badAudio(field, `not a readable WAV file: ${reason}`);
  if (bytes.length < 12 || !['RIFF', 'RF64'].includes(ascii(bytes, 0)) || ascii(bytes, 8) !== 'WAVE') throw bad('no RIFF/WAVE header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let rf64DataSize: number | undefined;
  let format: { tag: number; channels: number; rate: number; blockAlign: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'ds64' && size >= 24) rf64DataSize = Number(view.getBigUint64(body + 8, true));
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw bad('fmt chunk is truncated');
      let tag = view.getUint16(body, true);
      if (tag === FORMAT_EXTENSIBLE) {
        if (size < 40 || body + 40 > bytes.length) throw bad('extensible fmt chunk is truncated');
        tag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      format = { tag, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), blockAlign: view.getUint16(body + 12, true), bits: view.getUint16(body + 14, true) };
    }
    if (id === 'data') {
      if (!format) throw bad('data chunk before fmt chunk');
      const available = bytes.length - body;
      let claimed = id === 'data' && rf64DataSize !== undefined && size === 0xffffffff ? rf64DataSize : size;
      // Streaming writers leave 0 or 0xFFFFFFFF; truncated uploads claim more than is there.
      if (claimed === 0 || claimed === 0xffffffff || claimed > available) claimed = available;
      return layoutOf(format, body, claimed, bad);
    }
    offset = body + size + (size & 1);
  }
  throw bad(format ? 'no data chunk' : 'no fmt chunk');
}

function layoutOf(format: { tag: number; channels: number; rate: number; blockAlign: number; bits: number }, dataOffset: number, dataBytes: number, bad: (reason: string) => Error): WavLayout {
  const { tag, channels, rate, bits } = format;
  let encoding: 'pcm' | 'float';
  if (tag === FORMAT_PCM && [8, 16, 24, 32].includes(bits)) encoding = 'pcm';
  else if (tag === FORMAT_FLOAT && (bits === 32 || bits === 64)) encoding = 'float';
  else throw errors.unsupportedMediaType(`WAV sample format ${tag === FORMAT_PCM ? 'PCM' : tag === FORMAT_FLOAT ? 'float' : `0x${tag.toString(16)}`} with ${bits} bits is not supported; send PCM 8/16/24/32-bit or float 32/64-bit`);
  if (channels === 0) throw bad('0 channels');
  const blockAlign = channels * (bits / 8);
  return { encoding, bits, channels, sampleRate: rate, dataOffset, frames: Math.floor(dataBytes / blockAlign) };
}

const CHUNK_FRAMES = 1 << 16;

export function decodeWav(bytes: Uint8Array, limits: DecodeLimits): { channels: Float32Array[]; sampleRate: number } {
  const layout = readWavLayout(bytes, limits.field);
  checkStreamShape(limits, layout.sampleRate, layout.channels);
  const seconds = layout.frames / layout.sampleRate;
  if (seconds > limits.maxSeconds) throw tooLong(limits, seconds);
  const { encoding, bits, channels: count, dataOffset, frames } = layout;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bytesPerSample = bits / 8;
  const read: (at: number) => number =
    encoding === 'float' ? (bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true))
    : bits === 8 ? (at) => (view.getUint8(at) - 128) / 128
    : bits === 16 ? (at) => view.getInt16(at, true) / 32768
    : bits === 24 ? (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608)
    : (at) => view.getInt32(at, true) / 2147483648;
  const collector = new PcmCollector(limits);
  for (let start = 0; start < frames; start += CHUNK_FRAMES) {
    const n = Math.min(CHUNK_FRAMES, frames - start);
    const chunk = Array.from({ length: count }, () => new Float32Array(n));
    let at = dataOffset + start * count * bytesPerSample;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < count; c++, at += bytesPerSample) chunk[c]![i] = read(at);
    }
    collector.push(chunk, layout.sampleRate, n);
  }
  return collector.finish();
}
