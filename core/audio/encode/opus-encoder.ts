// Ogg Opus (RFC 7845) with @evan/opus: 20 ms packets, pre-skip set to the encoder's
// lookahead (in 48 kHz samples) and the final granule trimmed to the true length, so
// decoders return exactly the input's samples.
import { Encoder } from '@evan/opus';
import { resampleChannels } from '../resample.ts';
import { OggWriter } from './ogg-writer.ts';
import { interleavePcm16 } from './pcm16.ts';

const OPUS_RATES = [8000, 12000, 16000, 24000, 48000] as const;
type OpusRate = (typeof OPUS_RATES)[number];
const OPUS_GET_LOOKAHEAD = 4027;

function opusHead(channels: number, preSkip: number, inputRate: number): Uint8Array {
  const out = new Uint8Array(19);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('OpusHead'));
  out[8] = 1;
  out[9] = channels;
  view.setUint16(10, preSkip, true);
  view.setUint32(12, inputRate, true);
  view.setInt16(16, 0, true);
  out[18] = 0;
  return out;
}

function opusTags(): Uint8Array {
  const vendor = new TextEncoder().encode('speech-model-hub');
  const out = new Uint8Array(8 + 4 + vendor.length + 4);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('OpusTags'));
  view.setUint32(8, vendor.length, true);
  out.set(vendor, 12);
  view.setUint32(12 + vendor.length, 0, true);
  return out;
}

export async function encodeOggOpus(input: readonly Float32Array[], sampleRate: number, options: { bitrate?: number } = {}): Promise<Uint8Array> {
  let channels = input.length > 2 ? [input[0]!, input[1]!] : [...input];
  let rate = sampleRate;
  if (!(OPUS_RATES as readonly number[]).includes(rate)) {
    const target = OPUS_RATES.find((r) => r >= rate) ?? 48000;
    channels = resampleChannels(channels, rate, target);
    rate = target;
  }
  const encoder = new Encoder({ channels: channels.length as 1 | 2, sample_rate: rate as OpusRate, application: 'audio' });
  if (options.bitrate) encoder.bitrate = options.bitrate;
  const toGranule = 48000 / rate;
  // OPUS_GET_LOOKAHEAD (4027), in samples at the encoder's rate; the typed getter is missing in the native build.
  const lookahead = encoder.ctl(OPUS_GET_LOOKAHEAD);
  const preSkip = Math.round(lookahead * toGranule);
  const ogg = new OggWriter(0x5eed0001);
  ogg.packet(opusHead(channels.length, preSkip, sampleRate), 0, { flush: true });
  ogg.packet(opusTags(), 0, { flush: true });
  const frame = rate / 50;
  const total = channels[0]!.length;
  // Feed the lookahead's worth of extra zeros so the last real samples leave the encoder.
  const padded = total + lookahead;
  const packets = Math.max(1, Math.ceil(padded / frame));
  const block = channels.map(() => new Float32Array(frame));
  for (let p = 0; p < packets; p++) {
    const start = p * frame;
    channels.forEach((c, i) => {
      block[i]!.fill(0);
      block[i]!.set(c.subarray(start, Math.min(total, start + frame)));
    });
    const packet = encoder.encode(interleavePcm16(block));
    const last = p === packets - 1;
    const granule = last ? preSkip + Math.round(total * toGranule) : preSkip + Math.round((start + frame) * toGranule);
    ogg.packet(packet, granule, { last });
  }
  return ogg.bytes();
}
