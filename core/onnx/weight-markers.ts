// Two small JSON files in a plugin's weight folder record what is known about its files:
// `.smoke.json` says the graphs are generated smoke graphs; `.verified.json` remembers
// which files already passed their sha256 check (by size and mtime), so a multi-GB file is
// hashed once, not at every start.
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SMOKE_MARKER = '.smoke.json';
export const VERIFIED_STAMP = '.verified.json';

export interface FileSignature {
  readonly size: number;
  readonly mtimeMs: number;
}

export interface SmokeMarker {
  readonly generator: string;
  readonly createdAt: string;
  /** Graph file → its size when written; a file that changed since is no longer smoke. */
  readonly files: Readonly<Record<string, { readonly size: number }>>;
}

export interface VerifiedStamp {
  readonly files: Readonly<Record<string, FileSignature & { readonly sha256: string }>>;
}

export function signatureOf(path: string): FileSignature | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? { size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and a rename, so readers never see half a marker. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value, null, 2), { mode: 0o600 });
  renameSync(temporary, path);
}

/**
 * The smoke marker is read on every weight-state look (several per request); markers are
 * only ever replaced by rename, so an unchanged size and mtime means unchanged content.
 */
const smokeMarkers = new Map<string, { signature: string; marker: SmokeMarker | undefined }>();

export function readSmokeMarker(dir: string): SmokeMarker | undefined {
  const path = join(dir, SMOKE_MARKER);
  const stat = signatureOf(path);
  if (!stat) {
    smokeMarkers.delete(path);
    return undefined;
  }
  const signature = `${stat.size}:${stat.mtimeMs}`;
  const known = smokeMarkers.get(path);
  if (known?.signature === signature) return known.marker;
  const marker = readJson<SmokeMarker>(path);
  smokeMarkers.set(path, { signature, marker });
  return marker;
}
export const readVerifiedStamp = (dir: string): VerifiedStamp => readJson<VerifiedStamp>(join(dir, VERIFIED_STAMP)) ?? { files: {} };
export const removeMarker = (dir: string, name: string) => rmSync(join(dir, name), { force: true });

export function recordVerified(dir: string, verified: readonly { path: string; sha256: string }[]): void {
  const files: Record<string, FileSignature & { sha256: string }> = { ...readVerifiedStamp(dir).files };
  for (const { path, sha256 } of verified) {
    const signature = signatureOf(join(dir, path));
    if (signature) files[path] = { ...signature, sha256 };
  }
  writeJsonAtomic(join(dir, VERIFIED_STAMP), { files });
}
