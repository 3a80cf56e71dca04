// One private folder per request for its uploads. The name is random (never the request
// id, which a client may choose), and removal waits until every file stream has closed,
// so a stream still opening cannot recreate a file after the folder is gone.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface TempArea {
  /** Creates the folder; call before `file`. */
  open(): Promise<void>;
  file(name: string): { path: string; stream: WriteStream };
  /** Removes the folder and everything in it; safe to call more than once. */
  remove(): Promise<void>;
}

export function makeTempArea(parent: string): TempArea {
  let dir: string | undefined;
  let opening: Promise<void> | undefined;
  let removing: Promise<void> | undefined;
  const streams: WriteStream[] = [];
  const closed = (stream: WriteStream) =>
    stream.closed ? Promise.resolve() : new Promise<void>((resolve) => {
      stream.once('close', () => resolve());
      stream.destroy();
    });

  return {
    open() {
      return (opening ??= (async () => {
        await mkdir(parent, { recursive: true });
        dir = await mkdtemp(join(parent, 'req-'));
      })());
    },
    file(name) {
      if (!dir || removing) throw new Error('temp area is not open');
      const path = join(dir, name);
      const stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      streams.push(stream);
      return { path, stream };
    },
    remove() {
      return (removing ??= (async () => {
        await opening?.catch(() => undefined);
        await Promise.all(streams.map(closed));
        if (dir) await rm(dir, { recursive: true, force: true });
      })());
    },
  };
}
