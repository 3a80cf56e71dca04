// MP3 with LAME (wasm-media-encoders). LAME takes a fixed set of rates; others are
// resampled to the next one up. A LAME Info tag (mp3-info-tag.ts) tells gapless decoders
// to drop the encoder delay and padding.
import { createMp3Encoder } from 'wasm-media-encoders';
import { resampleChannels } from '../resample.ts';
import { withInfoTag } from './mp3-info-tag.ts';

const MP3_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;

export async function encodeMp3(input: readonly Float32Array[], sampleRate: number, options: { bitrate?: number } = {}): Promise<Uint8Array> {
  let channels = input.length > 2 ? [input[0]!, input[1]!] : [...input];
  let rate = sampleRate;
  if (!(MP3_RATES as readonly number[]).includes(rate)) {
    const target = MP3_RATES.find((r) => r >= rate) ?? 48000;
    channels = resampleChannels(channels, rate, target);
    rate = target;
  }
  const encoder = await createMp3Encoder();
  const bitrate = (options.bitrate ?? (channels.length === 1 ? 96 : 160)) as 96;
  encoder.configure({ sampleRate: rate, channels: channels.length as 1 | 2, bitrate });
  const parts: Uint8Array[] = [];
  const block = 1152 * 64;
  const total = channels[0]!.length;
  for (let start = 0; start < total; start += block) {
    parts.push(encoder.encode(channels.map((c) => c.subarray(start, Math.min(total, start + block)))).slice());
  }
  parts.push(encoder.finalize().slice());
  return withInfoTag(concat(parts), total);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
