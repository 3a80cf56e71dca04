// Refuses an upload whose header declares more seconds than its class allows while the
// body still streams: a 90 MB WAV that says 2,949 s in its first 44 bytes is answered 413
// then, not after all 90 MB arrived. Watches the first bytes of one file part only; the
// whole file is checked again once received (checkUploadHeader), for formats whose
// length is only known at the end (Ogg, CBR MP3) and for headers that lie.
import { errors, type HubError } from '../errors.ts';
import { declaredFacts } from './audio-header.ts';
import { sniffBytes } from './sniff-format.ts';

/** Enough for any header we read (WAV chunks before `data`, ID3 tags are left to the full check). */
const PREFIX_BYTES = 64 * 1024;
/** Parse again only once this many new bytes arrived, so a trickled header costs little. */
const STEP_BYTES = 512;

export function watchDeclaredDuration(options: { field: string; limitClass: string; maxSeconds: number; refuse: (error: HubError) => void }): (chunk: Buffer) => void {
  const chunks: Buffer[] = [];
  let held = 0;
  let triedAt = -STEP_BYTES; // the first chunk is judged at once
  let done = false;
  let running = false;

  const judge = async () => {
    running = true;
    try {
      const prefix = Buffer.concat(chunks, held);
      const format = sniffBytes(prefix);
      const facts = format === 'unknown' ? undefined : await declaredFacts(prefix, format, options.field);
      if (facts?.durationSeconds !== undefined && facts.durationSeconds > options.maxSeconds) {
        done = true;
        options.refuse(errors.payloadTooLarge(`${options.field}: the audio header declares ${facts.durationSeconds.toFixed(1)} s; ${options.limitClass} uploads may be at most ${options.maxSeconds} s`));
      } else if (facts !== undefined || held >= PREFIX_BYTES) {
        done = true; // the header said what it says; the full check has the rest
      }
    } finally {
      running = false;
      if (done) chunks.length = 0;
    }
  };

  return function onChunk(chunk) {
    if (done) return;
    const room = PREFIX_BYTES - held;
    if (room > 0) {
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(kept);
      held += kept.length;
    }
    if (running || (held - triedAt < STEP_BYTES && held < PREFIX_BYTES)) return;
    triedAt = held;
    void judge();
  };
}
