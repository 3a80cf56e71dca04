// Each task owns one folder, <dataDir>/tasks/<id>/: its uploads (moved out of the
// request's temp folder, which is removed when the 202 is sent) and later its result.
import { createReadStream, type ReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UploadedFile } from '../plugin/types.ts';
import { PRIVATE_DIR, PRIVATE_FILE } from '../store/private-files.ts';

const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface TaskFiles {
  /** Moves (or, from memory, writes) the request's uploads into the task folder; returns them with their paths. */
  adoptUploads(taskId: string, files: Readonly<Record<string, UploadedFile>>): Promise<Record<string, UploadedFile>>;
  writeResult(taskId: string, body: Uint8Array): Promise<void>;
  readResult(taskId: string): ReadStream;
  removeUploads(taskId: string): Promise<void>;
  remove(taskId: string): Promise<void>;
  /** Removes folders no task record points to (a crash between creating one and recording it). */
  sweep(known: ReadonlySet<string>): Promise<number>;
}

async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    // Across file systems (a temp dir mounted elsewhere) a rename fails with EXDEV.
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await unlink(from);
  }
}

export function makeTaskFiles(deps: { root: string }): TaskFiles {
  const dirOf = (taskId: string): string => {
    if (!TASK_ID.test(taskId)) throw new Error(`not a task id: ${taskId}`);
    return join(deps.root, taskId);
  };
  const uploadsOf = (taskId: string) => join(dirOf(taskId), 'uploads');
  const resultOf = (taskId: string) => join(dirOf(taskId), 'result');

  return {
    async adoptUploads(taskId, files) {
      const dir = uploadsOf(taskId);
      await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
      const adopted: Record<string, UploadedFile> = {};
      for (const [name, file] of Object.entries(files)) {
        // The field name is declared by the route, never by the client: safe as a file name.
        const path = join(dir, file.field);
        if (file.bytes) await writeFile(path, file.bytes, { flag: 'wx', mode: 0o600 });
        else await move(file.path, path);
        const { bytes: _inMemory, ...facts } = file;
        adopted[name] = { ...facts, path };
      }
      return adopted;
    },
    async writeResult(taskId, body) {
      await mkdir(dirOf(taskId), { recursive: true, mode: PRIVATE_DIR });
      await writeFile(resultOf(taskId), body, { mode: PRIVATE_FILE });
    },
    readResult: (taskId) => createReadStream(resultOf(taskId)),
    removeUploads: (taskId) => rm(uploadsOf(taskId), { recursive: true, force: true }),
    remove: (taskId) => rm(dirOf(taskId), { recursive: true, force: true }),
    async sweep(known) {
      const found = await readdir(deps.root).catch(() => [] as string[]);
      const orphans = found.filter((name) => TASK_ID.test(name) && !known.has(name));
      await Promise.all(orphans.map((name) => rm(join(deps.root, name), { recursive: true, force: true })));
      return orphans.length;
    },
  };
}
