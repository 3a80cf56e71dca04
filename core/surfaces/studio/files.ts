// The studio's audio files under <dataDir>/studio: profile samples and generated audio.
// Names are ours (a random UUID), never an id or file name a client sent. A file is
// written and flushed before its row is inserted, and its row is deleted before the file:
// the database row is the commit point, so a crash can leave at worst a file without a
// row, and `sweep` (run at boot) removes those.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { copyFile, open, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { errors } from '../../errors.ts';

export const AREAS = ['samples', 'generations'] as const;
export type Area = (typeof AREAS)[number];

export interface StudioFiles {
  readonly root: string;
  /** Copies an upload in (kept in memory or in a temp file); returns the stored name relative to the root (`samples/<uuid>.wav`). */
  adopt(area: Area, source: { readonly path: string } | { readonly bytes: Uint8Array }, extension: string): Promise<string>;
  /** Writes bytes and flushes them to disk; returns the stored name. */
  write(area: Area, bytes: Uint8Array, extension: string): Promise<string>;
  /** Absolute path of a stored name; 404 for anything that would leave the root. */
  pathOf(name: string): string;
  remove(name: string): Promise<void>;
  /** Removes files no row names (what a crash between write and insert leaves); returns how many. */
  sweep(known: ReadonlySet<string>): number;
}

export function makeStudioFiles(root: string): StudioFiles {
  for (const area of AREAS) mkdirSync(join(root, area), { recursive: true, mode: 0o700 });
  const fresh = (area: Area, extension: string) => `${area}/${randomUUID()}.${extension.replace(/[^a-z0-9]/gi, '') || 'bin'}`;

  const pathOf = (name: string): string => {
    const path = resolve(root, name);
    const inside = relative(root, path);
    if (!inside || inside.startsWith('..') || inside.includes(`..${sep}`) || !AREAS.some((a) => inside.startsWith(`${a}${sep}`))) throw errors.notFound('audio file');
    return path;
  };

  return {
    root,
    async adopt(area, source, extension) {
      if ('bytes' in source) return this.write(area, source.bytes, extension);
      const name = fresh(area, extension);
      await copyFile(source.path, pathOf(name));
      const handle = await open(pathOf(name), 'r+');
      try {
        await handle.chmod(0o600);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return name;
    },
    async write(area, bytes, extension) {
      const name = fresh(area, extension);
      const handle = await open(pathOf(name), 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return name;
    },
    pathOf,
    remove: (name) => rm(pathOf(name), { force: true }),
    sweep(known) {
      let removed = 0;
      for (const area of AREAS) {
        for (const file of readdirSync(join(root, area))) {
          if (known.has(`${area}/${file}`)) continue;
          rmSync(join(root, area, file), { force: true, recursive: true });
          removed++;
        }
      }
      return removed;
    },
  };
}
