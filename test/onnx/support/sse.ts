// Reads a text/event-stream response: `data:` lines parsed as JSON, comment lines kept.
export interface EventReader {
  /** Reads until `done(event)` holds for an event not looked at yet, or the stream ends. */
  until(done: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]>;
  /** Reads until a new comment line (a heartbeat) arrives, or the stream ends. */
  untilComment(): Promise<void>;
  readonly events: Record<string, unknown>[];
  readonly comments: string[];
  readonly ended: boolean;
  cancel(): Promise<void>;
}

export function readEvents(res: Response): EventReader {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Record<string, unknown>[] = [];
  const comments: string[] = [];
  let buffer = '';
  let ended = false;
  let seen = 0;

  const readChunk = async () => {
    const { value, done } = await reader.read();
    if (done) ended = true;
    buffer += decoder.decode(value ?? new Uint8Array(), { stream: !done });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      for (const line of buffer.slice(0, end).split('\n')) {
        if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as Record<string, unknown>);
        else if (line.startsWith(':')) comments.push(line);
      }
      buffer = buffer.slice(end + 2);
    }
  };

  return {
    events,
    comments,
    get ended() {
      return ended;
    },
    async until(done) {
      for (;;) {
        while (seen < events.length) if (done(events[seen++]!)) return events;
        if (ended) return events;
        await readChunk();
      }
    },
    async untilComment() {
      const before = comments.length;
      while (comments.length === before && !ended) await readChunk();
    },
    cancel: () => reader.cancel(),
  };
}
