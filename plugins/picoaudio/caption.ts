// PicoAudio's captions, read into the structure the model is conditioned on: which events
// sound, and when. Two forms, as in the reference's metadata (data/meta_data/*.json):
//   timestamps: "cat meowing at 0.5-2.0, 3.0-4.5 and whistling at 5.0-6.5"
//   frequency:  "cat meowing two times and whistling one times"
// The reference turns frequency captions into timestamps with an LLM (GPT-4 / Gemini); here
// the N occurrences are spread evenly instead (`placeOccurrences`). The two forms may mix.
import { eventNamed, PICO_EVENTS, spokenName, type PicoEvent } from './events.ts';

export interface CaptionEvent {
  readonly event: PicoEvent;
  /** [onset, offset] in seconds, in caption order. */
  readonly ranges: readonly (readonly [number, number])[];
}

export type CaptionResult = { readonly ok: true; readonly events: readonly CaptionEvent[] } | { readonly ok: false; readonly problem: string; readonly understood: readonly string[] };

const COUNTS: Record<string, number> = { once: 1, twice: 2, thrice: 3, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
const NUMBER = String.raw`\d+(?:\.\d+)?`;
const RANGE = new RegExp(String.raw`^(${NUMBER})\s*(?:-|–|to)\s*(${NUMBER})$`);
const AT = /^(.+?)\s+(?:at|from)\s+(.+)$/;
const TIMES = /^(.+?)\s+(\d+|[a-z]+)\s+times?$/;
const ONCE = /^(.+?)\s+(once|twice|thrice)$/;

/** N occurrences over `duration`: equal slots, each sound centred in its slot, at most 2 s long. */
export function placeOccurrences(count: number, duration: number): [number, number][] {
  const slot = duration / count;
  const length = Math.min(2, slot / 2);
  return Array.from({ length: count }, (_, k) => {
    const start = k * slot + (slot - length) / 2;
    return [round3(start), round3(start + length)];
  });
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function parseRanges(text: string): [number, number][] | string {
  const ranges: [number, number][] = [];
  for (const part of text.split(/\s*,\s*|\s+and\s+/)) {
    const m = RANGE.exec(part.trim());
    if (!m) return `"${part.trim()}" is not a time range like 0.5-2.0`;
    const [start, end] = [Number(m[1]), Number(m[2])];
    if (!(end > start)) return `the range ${part.trim()} ends before it starts`;
    ranges.push([start, end]);
  }
  return ranges;
}

const describe = (e: CaptionEvent) => `${spokenName(e.event)} at ${e.ranges.map(([s, t]) => `${s}-${t}`).join(', ')}`;

export function parseCaption(caption: string, duration: number): CaptionResult {
  const events = new Map<PicoEvent, [number, number][]>();
  const understood = () => [...events].map(([event, ranges]) => describe({ event, ranges }));
  const fail = (problem: string): CaptionResult => ({ ok: false, problem, understood: understood() });
  let last: PicoEvent | undefined;
  const clauses = caption.trim().replace(/[.!]+$/, '').split(/\s*(?:\band\b|;)\s*/i).filter((c) => c !== '');
  if (clauses.length === 0) return fail('the caption names no event');
  for (const clause of clauses.map((c) => c.toLowerCase())) {
    // "… at 0.5-2.0 and 3.0-4.5": a bare range continues the previous event's list
    if (last && RANGE.test(clause.split(/\s*,\s*/)[0]!)) {
      const more = parseRanges(clause);
      if (typeof more === 'string') return fail(more);
      events.get(last)!.push(...more);
      continue;
    }
    const at = AT.exec(clause);
    const times = TIMES.exec(clause) ?? ONCE.exec(clause);
    const name = at?.[1] ?? times?.[1];
    const event = name === undefined ? undefined : eventNamed(name);
    if (name === undefined) return fail(`"${clause}" is neither "<event> at <start>-<end>" nor "<event> <n> times"`);
    if (!event) return fail(`"${name}" is not one of the events this model knows`);
    let ranges: [number, number][];
    if (at) {
      const parsed = parseRanges(at[2]!);
      if (typeof parsed === 'string') return fail(parsed);
      ranges = parsed;
    } else {
      const word = times![2]!;
      const count = /^\d+$/.test(word) ? Number(word) : COUNTS[word];
      if (count === undefined || count < 1 || count > 10) return fail(`"${word} times" is not a count from 1 to 10`);
      ranges = placeOccurrences(count, duration);
    }
    events.set(event, [...(events.get(event) ?? []), ...ranges]);
    last = event;
  }
  for (const [event, ranges] of events) {
    const beyond = ranges.find(([, end]) => end > duration);
    if (beyond) return fail(`${spokenName(event)} at ${beyond[0]}-${beyond[1]} ends after the requested duration of ${duration} s`);
  }
  return { ok: true, events: [...events].map(([event, ranges]) => ({ event, ranges })) };
}

export const KNOWN_EVENTS = PICO_EVENTS.map(spokenName).join(', ');
