// A corpus of audio files no route may accept: truncated, header-only, with huge declared
// sizes, zero or absurd channel counts, a 0 Hz rate, an unsupported encoding, polyglots
// (another format's magic in front of a WAV), random bytes under an audio name, a real WAV
// declared as something else, and an empty file. Each must be a 4xx, never a decode crash.
import fc from 'fast-check';
import { flacHeader, oggOpus, wavFile } from '../security/support/audio-bytes.ts';

export interface BrokenAudio {
  readonly name: string;
  readonly bytes: Buffer;
  readonly filename: string;
  readonly type: string;
}

const wav = (name: string, bytes: Buffer, type = 'audio/wav'): BrokenAudio => ({ name, bytes, filename: `${name}.wav`, type });

function withMagic(magic: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(magic, 'latin1'), body]);
}

const CORPUS: readonly BrokenAudio[] = [
  wav('truncated', wavFile({ dataBytes: 3200, claimedDataBytes: 1_000_000 })),
  wav('header-only', wavFile({ dataBytes: 0 })),
  wav('huge-declared-size', wavFile({ dataBytes: 64, claimedDataBytes: 0xfffffff0 })),
  wav('zero-channels', wavFile({ channels: 0, blockAlign: 0 })),
  wav('ten-thousand-channels', wavFile({ channels: 10_000, blockAlign: 20_000 })),
  wav('zero-rate', wavFile({ sampleRate: 0 })),
  wav('wrong-block-align', wavFile({ blockAlign: 7 })),
  wav('mp3-in-wav-encoding', wavFile({ format: 0x55 })),
  wav('bits-per-sample-3', wavFile({ bits: 3, blockAlign: 1 })),
  wav('cut-inside-fmt', wavFile().subarray(0, 30)),
  wav('pdf-polyglot', withMagic('%PDF-1.4\n', wavFile())),
  wav('gif-polyglot', withMagic('GIF89a', wavFile())),
  wav('zip-polyglot', withMagic('PK\u0003\u0004', wavFile())),
  wav('random-bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251))),
  wav('declared-as-executable', wavFile(), 'application/x-msdownload'),
  wav('declared-as-image', wavFile(), 'image/png'),
  wav('empty', Buffer.alloc(0)),
  { name: 'flac-short-streaminfo', bytes: flacHeader({ sampleRate: 16000, totalSamples: 16000 }).subarray(0, 20), filename: 'a.flac', type: 'audio/flac' },
  { name: 'flac-zero-rate', bytes: flacHeader({ sampleRate: 0, totalSamples: 16000 }), filename: 'a.flac', type: 'audio/flac' },
  { name: 'opus-zero-channels', bytes: (() => { const b = oggOpus({ seconds: 1 }); b[28 + 9] = 0; return b; })(), filename: 'a.opus', type: 'audio/ogg' },
  { name: 'ogg-unknown-codec', bytes: (() => { const b = oggOpus({ seconds: 1 }); b.write('Speex   ', 28, 'latin1'); return b; })(), filename: 'a.ogg', type: 'audio/ogg' },
  { name: 'mp3-name-wav-bytes-lie', bytes: withMagic('ID3\u0004\u0000\u0000\u007f\u007f\u007f\u007f', Buffer.alloc(64, 0xff)), filename: 'a.mp3', type: 'audio/mpeg' },
];

export const brokenAudio: fc.Arbitrary<BrokenAudio> = fc.constantFrom(...CORPUS);
export const corpusSize = CORPUS.length;
