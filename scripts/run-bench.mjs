// `npm run bench`: runs every bench/*.ts one after another (timings of parallel runs would
// disturb each other). Extra arguments filter by file name substring.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
/** The V8 flags `npm start` gives the hub (package.json), read from there so they cannot drift. */
const HUB_NODE_FLAGS = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start.match(/--[a-z-]+=\S+/g) ?? [];
const filters = process.argv.slice(2);
const files = readdirSync(join(root, 'bench'))
  .filter((name) => name.endsWith('.ts') && (filters.length === 0 || filters.some((f) => name.includes(f))))
  .sort();
if (files.length === 0) {
  console.error('no bench files matched');
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n## bench/${file}\n`);
  // The benches host the hub in their own process: run them with the flags it is started with.
  const result = spawnSync(process.execPath, [...HUB_NODE_FLAGS, '--import', 'tsx', join('bench', file)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
