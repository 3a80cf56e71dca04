// How long the target is when the client does not say (`target_duration`), in 50 Hz frames.
import { METIS } from './settings.ts';

const FRAME_RATE = 50;
const utf8Length = (text: string) => new TextEncoder().encode(text).length;
const clamp = (frames: number) => Math.min(Math.max(frames, Math.round(METIS.minTargetSeconds * FRAME_RATE)), METIS.maxTargetSeconds * FRAME_RATE);

/** `Metis.text2semantic`: prompt_frames · len(text.encode("utf-8")) // len(prompt_text.encode("utf-8")), kept within the route's bounds. */
export function targetFramesFromPrompt(promptFrames: number, text: string, promptText: string): number {
  return clamp(Math.floor((promptFrames * utf8Length(text)) / Math.max(1, utf8Length(promptText))));
}

/** Without a reference (the hub's extension): the text's UTF-8 length at `unpromptedBytesPerSecond`. */
export function targetFramesWithoutPrompt(text: string): number {
  return clamp(Math.trunc((utf8Length(text) / METIS.unpromptedBytesPerSecond) * FRAME_RATE));
}

/** `int(target_len * 50)` for a duration the client gave. */
export function framesForSeconds(seconds: number): number {
  return Math.max(1, Math.trunc(seconds * FRAME_RATE));
}
