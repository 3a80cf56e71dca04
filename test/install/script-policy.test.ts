// npm 11 reads the install-script policy from package.json's `allowScripts`; unknown
// `.npmrc` keys will stop working in the next major. The policy must cover every
// dependency with an install script, so `npm ci` neither warns nor (later) refuses, and
// onnxruntime-node's postinstall (which fetches CUDA files from outside the npm registry)
// must never run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };

describe('install-script policy', () => {
  it('allows the native builds the hub needs and denies the downloads it must not make', () => {
    assert.equal(pkg.allowScripts?.['better-sqlite3'], true);
    assert.equal(pkg.allowScripts?.esbuild, true);
    assert.equal(pkg.allowScripts?.['onnxruntime-node'], false);
  });

  it('keeps no project .npmrc with keys npm does not know', () => {
    if (!existsSync(root + '.npmrc')) return;
    assert.doesNotMatch(readFileSync(root + '.npmrc', 'utf8'), /onnxruntime-node-install/);
  });

  it('leaves no installed package with an install script outside the policy, and npm prints no warning', () => {
    const run = spawnSync('npm', ['approve-scripts', '--allow-scripts-pending'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /No packages with unreviewed install scripts/);
    assert.doesNotMatch(run.stdout + run.stderr, /will stop working|npm warn/i);
  });
});
