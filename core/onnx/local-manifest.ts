// `.manifest.json` in a plugin's weight folder: where its files came from when they did not
// come from the registry (an export from a checkpoint), with the sha256 and size each had
// when installed, so `hub models list` can say so and `hub models verify` can check them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from './weight-markers.ts';

export const LOCAL_MANIFEST = '.manifest.json';

export interface LocalManifest {
  /** A sentence a person reads: "exported from /ckpt/g_02500000 by plugins/<plugin>/export/export.py". */
  readonly source: string;
  readonly createdAt: string;
  readonly files: Readonly<Record<string, { readonly sha256: string; readonly size: number }>>;
}

export function readLocalManifest(dir: string): LocalManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, LOCAL_MANIFEST), 'utf8')) as LocalManifest;
  } catch {
    return undefined;
  }
}

export function writeLocalManifest(dir: string, manifest: LocalManifest): void {
  writeJsonAtomic(join(dir, LOCAL_MANIFEST), manifest);
}
