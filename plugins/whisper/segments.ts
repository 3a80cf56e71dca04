// Timestamped segments from one window's tokens, and how far the next window starts
// (openai/whisper `transcribe.py`): consecutive timestamps close one segment and open the
// next; a window that ends mid-sentence is decoded again from its last timestamp.
import { HOP, SAMPLE_RATE } from './presets.ts';

/** One timestamp token is 0.02 s, i.e. 2 mel frames. */
export const TIME_PRECISION = 0.02;
export const FRAMES_PER_TIMESTAMP = 2;

export interface TokenSegment {
  readonly start: number;
  readonly end: number;
  /** The segment's tokens, timestamps included. */
  readonly tokens: readonly number[];
}

export interface WindowSegments {
  readonly segments: TokenSegment[];
  /** Mel frames to move forward (always at least 1). */
  readonly advance: number;
}

/**
 * @param seek first mel frame of the window
 * @param segmentSize mel frames of audio in the window (3000, or fewer at the end)
 */
export function segmentWindow(tokens: readonly number[], timestampBegin: number, seek: number, segmentSize: number): WindowSegments {
  const offset = (seek * HOP) / SAMPLE_RATE;
  const isTimestamp = tokens.map((t) => t >= timestampBegin);
  const singleTimestampEnding = tokens.length >= 2 && !isTimestamp.at(-2) && isTimestamp.at(-1) === true;
  const consecutive: number[] = [];
  for (let i = 1; i < tokens.length; i++) if (isTimestamp[i - 1] && isTimestamp[i]) consecutive.push(i);

  if (consecutive.length > 0) {
    const slices = singleTimestampEnding ? [...consecutive, tokens.length] : consecutive;
    const segments: TokenSegment[] = [];
    let last = 0;
    for (const current of slices) {
      const slice = tokens.slice(last, current);
      segments.push({ start: offset + (slice[0]! - timestampBegin) * TIME_PRECISION, end: offset + (slice.at(-1)! - timestampBegin) * TIME_PRECISION, tokens: slice });
      last = current;
    }
    // Ended cleanly: the whole window is done. Otherwise start again at the last timestamp.
    const advance = singleTimestampEnding ? segmentSize : (tokens[last - 1]! - timestampBegin) * FRAMES_PER_TIMESTAMP;
    return { segments, advance: advance > 0 ? advance : segmentSize };
  }

  let duration = (segmentSize * HOP) / SAMPLE_RATE;
  const timestamps = tokens.filter((t) => t >= timestampBegin);
  if (timestamps.length > 0 && timestamps.at(-1) !== timestampBegin) duration = (timestamps.at(-1)! - timestampBegin) * TIME_PRECISION;
  const segments = tokens.length > 0 ? [{ start: offset, end: offset + duration, tokens: [...tokens] }] : [];
  return { segments, advance: segmentSize };
}

/**
 * The segments a transcript keeps, with their text: transcribe.py clears a segment that is
 * instantaneous (start == end) or has no text, and leaves its tokens out of the previous text.
 */
export function spokenSegments(segments: readonly TokenSegment[], textOf: (tokens: readonly number[]) => string): (TokenSegment & { text: string })[] {
  return segments.map((segment) => ({ ...segment, text: textOf(segment.tokens) })).filter((s) => s.start !== s.end && s.text.trim() !== '');
}
