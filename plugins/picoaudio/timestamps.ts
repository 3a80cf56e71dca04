// The timestamp matrix PicoAudio's UNet reads beside the latent (picoaudio/models/
// controllable_dataset.py decode_data): 32 rows (one per event class, by index) × 256 latent
// frames (10.24 s at 25 frames/s), 1 where the event sounds. Onsets and offsets become frames
// as `int(float(t) * 250 / 10)`; an occurrence ending past frame 255 is dropped together
// with the event's later ones, as the reference's `break` does.
import type { CaptionEvent } from './caption.ts';
import { PICO_EVENTS } from './events.ts';

export const TIMESTAMP_ROWS = 32;
export const LATENT_FRAMES = 256;

const frameOf = (seconds: number) => Math.trunc((seconds * 250) / 10);

export function timestampMatrix(events: readonly CaptionEvent[]): Float32Array {
  const matrix = new Float32Array(TIMESTAMP_ROWS * LATENT_FRAMES);
  for (const { event, ranges } of events) {
    const row = PICO_EVENTS.indexOf(event);
    for (const [onset, offset] of ranges) {
      const [start, end] = [frameOf(onset), frameOf(offset)];
      if (end > LATENT_FRAMES - 1) break;
      matrix.fill(1, row * LATENT_FRAMES + start, row * LATENT_FRAMES + end);
    }
  }
  return matrix;
}

/** What CLAP reads: the events' class names joined by " and ", in caption order (`line_event_str`). */
export const eventText = (events: readonly CaptionEvent[]) => events.map((e) => e.event).join(' and ');
