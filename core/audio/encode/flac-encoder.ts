// FLAC (16-bit) with libflac.js, WASM build. Its loader tries fetch() on a file path,
// which Node ≥ 18 has and which fails for paths; hiding fetch while the module loads
// makes it read the .wasm file from disk. Loaded once per worker.
import { createRequire } from 'node:module';
import { concat } from './mp3-encoder.ts';
import { interleavePcm16 } from './pcm16.ts';

interface LibFlac {
  isReady(): boolean;
  on(event: 'ready', listener: () => void): void;
  create_libflac_encoder(rate: number, channels: number, bps: number, compression: number, totalSamples: number, verify: boolean): number;
  init_encoder_stream(encoder: number, write: (data: Uint8Array) => void): number;
  FLAC__stream_encoder_process_interleaved(encoder: number, samples: Int32Array, frames: number): boolean;
  FLAC__stream_encoder_finish(encoder: number): boolean;
  FLAC__stream_encoder_delete(encoder: number): void;
}

let loading: Promise<LibFlac> | undefined;

function loadFlac(): Promise<LibFlac> {
  return (loading ??= new Promise((resolve) => {
    const require = createRequire(import.meta.url);
    const saved = globalThis.fetch;
    let flac: LibFlac;
    try {
      (globalThis as { fetch?: unknown }).fetch = undefined;
      flac = (require('libflacjs') as (variant: string) => LibFlac)('min.wasm');
    } finally {
      globalThis.fetch = saved;
    }
    if (flac.isReady()) resolve(flac);
    else flac.on('ready', () => resolve(flac));
  }));
}

export async function encodeFlac(channels: readonly Float32Array[], sampleRate: number): Promise<Uint8Array> {
  const flac = await loadFlac();
  const frames = channels[0]!.length;
  const encoder = flac.create_libflac_encoder(sampleRate, channels.length, 16, 5, frames, false);
  if (!encoder) throw new Error('FLAC encoder could not be created');
  const parts: Uint8Array[] = [];
  try {
    const status = flac.init_encoder_stream(encoder, (data) => parts.push(data.slice()));
    if (status !== 0) throw new Error(`FLAC encoder init failed (status ${status})`);
    const block = 1 << 16;
    for (let start = 0; start < frames; start += block) {
      const end = Math.min(frames, start + block);
      const pcm = new Int16Array(interleavePcm16(channels, start, end).buffer);
      if (!flac.FLAC__stream_encoder_process_interleaved(encoder, Int32Array.from(pcm), end - start)) throw new Error('FLAC encoding failed');
    }
    flac.FLAC__stream_encoder_finish(encoder);
  } finally {
    flac.FLAC__stream_encoder_delete(encoder);
  }
  return concat(parts);
}
