// The hub runs with the same V8 flags however it is started (`npx hub start`, `npm start`,
// `npm run worker`, and the benches, which host it in their own process): see
// docs/operations.md, "Garbage collection headroom".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;
const scripts = (JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const flagsOf = (command: string) => command.match(/--[a-z-]+=\S+/g) ?? [];

describe('launch flags', () => {
  it('gives npm start, npm run worker and the hub command the same garbage-collection headroom', () => {
    const start = flagsOf(scripts.start!);
    assert.deepEqual(start, ['--initial-old-space-size=128']);
    assert.deepEqual(flagsOf(scripts.worker!), start);
    const shebang = readFileSync(root + 'bin/hub.mjs', 'utf8').split('\n')[0]!;
    assert.equal(shebang, `#!/usr/bin/env -S node ${start.join(' ')}`);
  });

  it('starts the hub command through its shebang, flags and all', () => {
    const run = spawnSync(root + 'bin/hub.mjs', ['--help'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Usage: hub/);
  });
});
