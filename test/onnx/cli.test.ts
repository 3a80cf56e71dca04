import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { standInGraphBytes } from '../support/stand-in-weights.ts';
import smokeVocoder from './fixtures/smoke-vocoder/index.ts';
import { audioInfoEntry, fixtureEntry } from './support/hub.ts';
import { startWeightServer, type WeightServer } from './support/weight-server.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const files: Record<string, Uint8Array> = {
  'decoder.onnx': standInGraphBytes(smokeVocoder.graphs.decoder, { plugin: 'smoke-vocoder', graph: 'decoder' }),
  'codec/tokenizer.onnx': standInGraphBytes(smokeVocoder.graphs.tokenizer, { plugin: 'smoke-vocoder', graph: 'tokenizer' }),
};
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `hub models ...` (alias `npm run weights`), or `hub models smoke ...` (alias `npm run smoke`). */
function run(script: 'weights' | 'smoke', args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const command = script === 'smoke' ? ['models', 'smoke'] : ['models'];
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'hub.mjs'), ...command, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}

describe('the weights and smoke command lines', () => {
  let server: WeightServer;
  let env: Record<string, string>;
  let dataDir: string;
  before(async () => {
    server = await startWeightServer(files);
    dataDir = mkdtempSync(join(tmpdir(), 'weights-cli-'));
    const registry = join(dataDir, 'plugins.json');
    const weights = { baseUrl: server.url, files: Object.entries(files).map(([path, bytes]) => ({ path, sha256: sha256(bytes), size: bytes.byteLength })) };
    writeFileSync(registry, JSON.stringify({ plugins: [fixtureEntry('smoke-vocoder', weights), fixtureEntry('slow-model'), audioInfoEntry] }));
    // The weight server is on loopback, which the hub's fetcher refuses unless the config allows it.
    const config = join(dataDir, 'lab.json');
    writeFileSync(config, JSON.stringify({ fetch: { allow: ['127.0.0.1/32'] } }));
    env = { HUB_DATA_DIR: dataDir, HUB_REGISTRY: registry, HUB_CONFIG: config };
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('installs smoke graphs for every plugin that needs weights, and lists their states', async () => {
    const smoke = await run('smoke', ['--all'], env);
    assert.equal(smoke.code, 0, smoke.err);
    assert.match(smoke.out, /^smoke-vocoder: smoke \(2 graph\(s\), [\d.]+ KiB\)\nslow-model: smoke \(1 graph\(s\), [\d.]+ KiB\)\n$/);
    const list = await run('weights', ['list'], env);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /^PLUGIN +STATE +SIZE +LICENCE +SOURCE +PROBLEM\nsmoke-vocoder +smoke +[\d.]+ KiB +\S+ +smoke graphs generated from the contract *\nslow-model +smoke +[\d.]+ KiB .*\naudio-info +weight-free +- +\S+ +built in \(no weights\) *\n/);
    const json = JSON.parse((await run('weights', ['list', '--json'], env)).out) as { plugin: string; state: string; license: string; source: string }[];
    assert.deepEqual(json.map((p) => [p.plugin, p.state]), [['smoke-vocoder', 'smoke'], ['slow-model', 'smoke'], ['audio-info', 'weight-free']]);
  });

  it('pulls real weights over smoke graphs from the registry URL, then verifies them', async () => {
    const pull = await run('weights', ['pull', 'smoke-vocoder'], env);
    assert.equal(pull.code, 0, pull.err);
    assert.equal(pull.out, 'smoke-vocoder: installed (fetched 2, already in place 0)\n');
    assert.match(pull.err, /smoke-vocoder: decoder\.onnx fetched/, 'one line per file when stderr is not a terminal');
    const verify = await run('weights', ['verify', 'smoke-vocoder'], env);
    assert.equal(verify.code, 0, verify.out);
    assert.equal(verify.out, 'smoke-vocoder: ok (installed)\n');
  });

  it('reports a damaged file on verify and exits 1', async () => {
    writeFileSync(join(dataDir, 'models', 'smoke-vocoder', 'decoder.onnx'), Buffer.alloc(files['decoder.onnx']!.byteLength, 7));
    const verify = await run('weights', ['verify', 'smoke-vocoder'], env);
    assert.equal(verify.code, 1);
    assert.match(verify.out, /^smoke-vocoder: 2 problem\(s\)\n  - decoder\.onnx: sha256 [0-9a-f]{64}, the registry says [0-9a-f]{64}\n  - graph 'decoder': decoder\.onnx is not a loadable ONNX model/);
  });

  it('pulls from a folder with --from, and refuses to let smoke graphs overwrite real weights', async () => {
    const folder = join(dataDir, 'elsewhere');
    for (const [path, bytes] of Object.entries(files)) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), bytes);
    }
    const pull = await run('weights', ['pull', 'smoke-vocoder', '--from', folder], env);
    assert.equal(pull.code, 0, pull.err + pull.out);
    assert.equal(pull.out, 'smoke-vocoder: installed (fetched 1, already in place 1)\n');
    const smoke = await run('smoke', ['smoke-vocoder'], env);
    assert.equal(smoke.code, 1);
    assert.match(smoke.err, /decoder\.onnx, codec\/tokenizer\.onnx already exist in .+ and are not smoke graphs; pass --force/);
  });

  it('removes a weight folder, and answers usage errors with exit code 2', async () => {
    const remove = await run('weights', ['remove', 'smoke-vocoder'], env);
    assert.equal(remove.code, 0, remove.err);
    assert.match((await run('weights', ['list'], env)).out, /smoke-vocoder +missing/);
    const unknown = await run('weights', ['pull', 'nope'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^unknown plugin 'nope'; known: smoke-vocoder, slow-model, audio-info\n$/);
    assert.equal((await run('weights', [], env)).code, 2);
  });
});
