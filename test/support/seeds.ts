// Finds the seed documents (the API specifications of record) for tests that check the
// hub against them: $HUB_SEEDS_DIR when set, else the nearest `shared/seeds` beside the
// repository or any folder above it (a worktree, a CI clone with shared/ as a sibling).
// Absent seeds skip such a test with a reason, except under CI, where absence is a failure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export function seedsDir(): string | undefined {
  if (process.env.HUB_SEEDS_DIR) return existsSync(process.env.HUB_SEEDS_DIR) ? process.env.HUB_SEEDS_DIR : undefined;
  for (let dir = ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'seeds');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The seed whose file name starts with `prefix` (e.g. '000_'), or a skip reason. */
export function loadSeed(prefix: string): { text: string } | { skip: string } {
  const dir = seedsDir();
  const file = dir && readdirSync(dir).find((name) => name.startsWith(prefix));
  if (!dir || !file) {
    const reason = `seed ${prefix}* not found (set HUB_SEEDS_DIR, or keep shared/seeds beside the repository)`;
    if (process.env.CI) throw new Error(reason);
    return { skip: reason };
  }
  return { text: readFileSync(join(dir, file), 'utf8') };
}
