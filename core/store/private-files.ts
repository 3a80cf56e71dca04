// Files at rest are private: the data folder holds key hashes, task history and users'
// audio. Every folder the hub makes is 0700 and every file 0600, whoever in the code base
// creates it: the process umask says so once, and the data folder and database, which may
// predate this rule, are tightened at start.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** New files 0600 and folders 0700 in this process. Only the main thread may set it. */
export function usePrivateUmask(): void {
  process.umask(0o077);
}

/** Creates the folder (and its parents) private, and makes it private if it already was there. */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(path, PRIVATE_DIR);
}

/** Creates an empty private file unless it exists; an existing one (and its siblings named) is made private. */
export function ensurePrivateFile(path: string, siblings: readonly string[] = []): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE));
  for (const file of [path, ...siblings]) if (existsSync(file)) chmodSync(file, PRIVATE_FILE);
}
