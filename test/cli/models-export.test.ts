// `hub models export hifigan --checkpoint <folder>` on a random-init checkpoint this test
// writes with torch: the recipe runs, the graph passes the contract with one run, sha256 and
// size land in the local manifest, and a failed export leaves the installed folder alone.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { needTorch, PYTHON } from '../support/torch.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function hub(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'hub.mjs'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'test', HUB_TORCH_PYTHON: PYTHON, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}

/** A shrunk HiFi-GAN V1 generator with random weights, saved as the official checkpoints are. */
const WRITE_CHECKPOINT = `
import json, os, sys, torch
root, out = sys.argv[1], sys.argv[2]
sys.path[:0] = [os.path.join(root, 'plugins/hifigan/export'), os.path.join(root, 'plugins/mel-vocoder')]
from export import AUDIO, ARCH_KEYS
from export_common import shrink
from hifigan_generator import CONFIGS, Generator
config = shrink({**AUDIO, **CONFIGS['v1']})
torch.manual_seed(3)
model = Generator(n_mels=config['num_mels'], **{k: config[k] for k in ARCH_KEYS})
torch.save({'generator': model.state_dict()}, os.path.join(out, 'g_00000001'))
json.dump(config, open(os.path.join(out, 'config.json'), 'w'))
`;

describe('hub models export', { timeout: 300_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hub-export-'));
    env = { HUB_DATA_DIR: join(dir, 'data') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exports a random-init HiFi-GAN checkpoint, checks it against the contract and installs it with its sha256', async (t) => {
    if (!needTorch(t)) return;
    const checkpoint = join(dir, 'checkpoint');
    spawnSync('mkdir', ['-p', checkpoint]);
    const wrote = spawnSync(PYTHON, ['-B', '-c', WRITE_CHECKPOINT, ROOT, checkpoint], { encoding: 'utf8' });
    assert.equal(wrote.status, 0, wrote.stderr);

    const started = performance.now();
    const run = await hub(['models', 'export', 'hifigan', '--checkpoint', checkpoint], env);
    assert.equal(run.code, 0, run.err + run.out);
    console.log(`# export of a shrunk random HiFi-GAN: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assert.match(run.err, /hifigan: 1\/3 running plugins\/hifigan\/export\/export\.py/);
    assert.match(run.err, /hifigan: 2\/3 checking every graph against the contract with one run/);
    assert.match(run.out, /^hifigan: (unverified|installed) \(1 graph\(s\) exported, [\d.]+ [KM]iB; sha256 of each file in .+\.manifest\.json\)\n$/);

    const folder = join(dir, 'data', 'models', 'hifigan');
    const manifest = JSON.parse(readFileSync(join(folder, '.manifest.json'), 'utf8')) as { source: string; files: Record<string, { sha256: string; size: number }> };
    assert.match(manifest.source, new RegExp(`^exported from ${checkpoint} by plugins/hifigan/export/export\\.py$`));
    assert.deepEqual(Object.keys(manifest.files).sort(), ['config.json', 'generator.onnx']);
    for (const [file, entry] of Object.entries(manifest.files)) {
      const bytes = readFileSync(join(folder, file));
      assert.deepEqual(entry, { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength });
    }
    const listed = JSON.parse((await hub(['models', 'list', '--json'], env)).out) as { plugin: string; state: string; source: string }[];
    assert.equal(listed.find((p) => p.plugin === 'hifigan')?.source, manifest.source);
    const verify = await hub(['models', 'verify', 'hifigan'], env);
    assert.equal(verify.code, 0, verify.out);

    // A second export over installed weights needs --force; a failing one leaves them untouched.
    const guarded = await hub(['models', 'export', 'hifigan', '--checkpoint', checkpoint], env);
    assert.equal(guarded.code, 2);
    assert.match(guarded.err, /already has (unverified|installed) weights .*; pass --force/);
    rmSync(join(checkpoint, 'config.json'));
    const broken = await hub(['models', 'export', 'hifigan', '--checkpoint', checkpoint, '--force'], env);
    assert.equal(broken.code, 1);
    assert.match(broken.err, /config\.json is missing/);
    assert.match(broken.err, /the export recipe exited with code 2/);
    assert.deepEqual(JSON.parse(readFileSync(join(folder, '.manifest.json'), 'utf8')), manifest);
    assert.deepEqual(spawnSync('ls', ['-A', join(dir, 'data', 'models')], { encoding: 'utf8' }).stdout.trim().split('\n'), ['hifigan'], 'no staging folder left');
  });

  it('names the missing Python package and the Debian package that provides it', async () => {
    // The same interpreter without its site packages: torch cannot be imported.
    const bare = join(dir, 'python-without-site');
    writeFileSync(bare, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`);
    chmodSync(bare, 0o755);
    const checkpoint = join(dir, 'empty');
    spawnSync('mkdir', ['-p', checkpoint]);
    const run = await hub(['models', 'export', 'bigvgan', '--checkpoint', checkpoint], { ...env, HUB_TORCH_PYTHON: bare });
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, /cannot import the Python package 'torch'; install the Debian package python3-torch \(apt-get install python3-torch\), or point HUB_TORCH_PYTHON at an interpreter that has it/);
  });

  it('refuses a plugin without an export recipe, and a checkpoint that is not a folder, with exit code 2', async () => {
    const noRecipe = await hub(['models', 'export', 'espeak', '--checkpoint', dir], env);
    assert.equal(noRecipe.code, 2);
    assert.match(noRecipe.err, /plugin 'espeak' has no export recipe/);
    const notFolder = await hub(['models', 'export', 'hifigan', '--checkpoint', join(dir, 'nothing-here')], env);
    assert.equal(notFolder.code, 2);
    assert.match(notFolder.err, /--checkpoint .*nothing-here: not a folder/);
  });
});
