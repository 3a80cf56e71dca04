// Encoders checked by decoding their output again (our decoders are checked against
// ffmpeg's files in decode.test.ts) and the streaming WAV writer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeAudioBytes } from '../../core/audio/decode/decode-audio.ts';
import { encodeAudio } from '../../core/audio/encode/encode-audio.ts';
import { CONTENT_TYPES, ENCODE_FORMATS } from '../../core/audio/formats.ts';
import { createWavStream } from '../../core/audio/encode/wav-writer.ts';
import { sniffBytes } from '../../core/http/sniff-format.ts';
import { bestCorrelation, dominantFrequency, rms, tone } from './support/tones.ts';

const x = tone({ sampleRate: 24000, seconds: 1, frequency: 440, amplitude: 0.5 });
const decode = (bytes: Uint8Array, format: string, sampleRate?: number) =>
  decodeAudioBytes(bytes, { format, field: 'audio', maxSeconds: 60, mono: true, sampleRate });

describe('encoding', () => {
  it('lists wav first, and a content type for every format', () => {
    assert.equal(ENCODE_FORMATS[0], 'wav');
    assert.deepEqual(ENCODE_FORMATS.map((f) => CONTENT_TYPES[f].split(';')[0]), ['audio/wav', 'audio/mpeg', 'audio/flac', 'audio/ogg', 'audio/pcm', 'audio/wav']);
  });

  it('writes 16-bit WAV within one quantisation step and float WAV exactly', async () => {
    const pcm16 = await decode(await encodeAudio([x], 24000, 'wav'), 'wav');
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(pcm16.channels[0]![i]! - x[i]!) <= 1 / 32767);
    const float = await decode(await encodeAudio([x], 24000, 'wav-float'), 'wav');
    assert.deepEqual(float.channels[0], x);
  });

  it('writes raw s16le PCM of exactly 2 bytes per sample and channel', async () => {
    const bytes = await encodeAudio([x, x], 24000, 'pcm');
    assert.equal(bytes.length, x.length * 4);
    assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getInt16(4 * 100, true), Math.round(x[100]! * 32767));
  });

  it('writes FLAC that decodes to the 16-bit samples', async () => {
    const bytes = await encodeAudio([x], 24000, 'flac');
    assert.equal(sniffBytes(bytes), 'flac');
    const pcm = await decode(bytes, 'flac');
    assert.equal(pcm.channels[0]!.length, x.length);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(pcm.channels[0]![i]! - x[i]!) <= 1 / 32767);
  });

  it('writes Ogg Opus with the pre-skip and final granule that give back the exact length, aligned', async () => {
    const bytes = await encodeAudio([x], 24000, 'opus');
    assert.equal(sniffBytes(bytes), 'ogg-opus');
    const pcm = await decode(bytes, 'ogg-opus', 24000);
    assert.equal(pcm.channels[0]!.length, x.length);
    const { lag, correlation } = bestCorrelation(pcm.channels[0]!.subarray(2400, 21600), x.subarray(2400, 21600), 8);
    assert.ok(correlation > 0.99 && Math.abs(lag) <= 2, `correlation ${correlation} at lag ${lag}`);
  });

  it('writes Opus from a rate Opus lacks (22.05 kHz) by resampling to the next one up', async () => {
    const y = tone({ sampleRate: 22050, seconds: 0.5, frequency: 440 });
    const pcm = await decode(await encodeAudio([y], 22050, 'opus'), 'ogg-opus', 22050);
    assert.equal(pcm.channels[0]!.length, y.length);
  });

  it('writes MP3 with a LAME Info tag, so gapless decoding gives the exact length, aligned', async () => {
    const bytes = await encodeAudio([x], 24000, 'mp3');
    assert.equal(sniffBytes(bytes), 'mp3');
    const pcm = await decode(bytes, 'mp3');
    assert.equal(pcm.sampleRate, 24000);
    assert.equal(pcm.channels[0]!.length, x.length);
    const { lag, correlation } = bestCorrelation(pcm.channels[0]!.subarray(2400, 21600), x.subarray(2400, 21600), 8);
    assert.ok(correlation > 0.999 && lag === 0, `correlation ${correlation} at lag ${lag}`);
    assert.equal(dominantFrequency(pcm.channels[0]!, 24000, 300, 600), 440);
    // LAME at 96 kbit/s loses ~0.5 dB on this tone; ffmpeg decodes the same file to the same level.
    assert.ok(Math.abs(rms(pcm.channels[0]!, 4000, 20000) - rms(x)) < 0.03);
  });

  it('writes MP3 at a rate LAME lacks (22.05 kHz is fine, 20 kHz goes up to 22.05 kHz)', async () => {
    const y = tone({ sampleRate: 20000, seconds: 0.5, frequency: 440 });
    const pcm = await decode(await encodeAudio([y], 20000, 'mp3'), 'mp3');
    assert.deepEqual([pcm.sampleRate, pcm.channels[0]!.length], [22050, Math.ceil((y.length * 22050) / 20000)]);
  });

  it('writes stereo MP3 and FLAC with two channels', async () => {
    const y = tone({ sampleRate: 24000, seconds: 0.3, frequency: 660, amplitude: 0.2 });
    for (const [format, sniffed] of [['mp3', 'mp3'], ['flac', 'flac']] as const) {
      const pcm = await decodeAudioBytes(await encodeAudio([x.subarray(0, y.length), y], 24000, format), { format: sniffed, field: 'audio', maxSeconds: 60, mono: false });
      assert.equal(pcm.channels.length, 2, format);
    }
  });
});

describe('the streaming WAV writer', () => {
  it('writes a header with unknown sizes, then PCM chunks that read back as one file', async () => {
    const stream = createWavStream(24000);
    const view = new DataView(stream.header.buffer);
    assert.equal(view.getUint32(4, true), 0xffffffff);
    assert.equal(view.getUint32(40, true), 0xffffffff);
    const parts = [stream.header, stream.chunk(x.subarray(0, 10000)), stream.chunk(x.subarray(10000))];
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of parts) (bytes.set(part, offset), (offset += part.length));
    const pcm = await decode(bytes, 'wav');
    assert.equal(pcm.channels[0]!.length, x.length);
  });

  it('refuses a chunk with the wrong channel count', () => {
    assert.throws(() => createWavStream(24000, { channels: 2 }).chunk(x), /2 channel/);
  });
});
