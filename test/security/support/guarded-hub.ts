// The test hub with the guard-chain fixture plugin, plus what the security tests look at:
// the upload temp area and the raw database file.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deepMerge } from '../../../core/config/load-config.ts';
import { startTestHub, type TestHub } from '../../support/test-hub.ts';

export const FIXTURE_REGISTRY = 'test/security/fixtures/registry.json';

export function startGuardedHub(overrides: Record<string, unknown> = {}, env?: NodeJS.ProcessEnv): Promise<TestHub> {
  return startTestHub(deepMerge({ registry: FIXTURE_REGISTRY }, overrides), env);
}

/** Every file left under the upload temp area (folders alone do not count). */
export async function tempFiles(dataDir: string): Promise<string[]> {
  const root = join(dataDir, 'tmp', 'uploads');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath ?? e.path, e.name));
}

/** Temp files go when the response closes, just after the client has its answer. */
export async function settledTempFiles(dataDir: string): Promise<string[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const left = await tempFiles(dataDir);
    if (left.length === 0) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return tempFiles(dataDir);
}
