// A crash between a file reaching the disk and its row being inserted leaves no orphan:
// a child process runs the studio's real write path and is SIGKILLed at that moment; the
// next boot of the hub on the same data folder removes the file no row names, and keeps
// everything that was committed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ROOT, startStudioHub } from './support.ts';

const CHILD = join(ROOT, 'test', 'studio', 'support', 'crash-child.ts');

async function crashDuring(phase: 'sample' | 'generation'): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'studio-crash-'));
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, phase], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  assert.equal(signal, 'SIGKILL', `the child was to die by SIGKILL; exit ${code}: ${stderr}`);
  return dataDir;
}

const filesIn = async (dataDir: string, area: string) => readdir(join(dataDir, 'studio', area));
function rows(dataDir: string, table: string): number {
  const db = new Database(join(dataDir, 'hub.db'), { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('a crash between file write and row insert', () => {
  it('leaves a sample file without a row, which the next boot removes', async () => {
    const dataDir = await crashDuring('sample');
    assert.equal((await filesIn(dataDir, 'samples')).length, 1, 'the file reached the disk');
    assert.equal(rows(dataDir, 'studio_samples'), 0, 'its row did not');
    const hub = await startStudioHub({}, { smoke: [], dataDir });
    try {
      assert.deepEqual(await filesIn(dataDir, 'samples'), []);
      const profiles = (await (await hub.call('/profiles')).json()) as { id: string; name: string }[];
      assert.deepEqual(profiles.map((p) => p.name), ['Crash'], 'the committed profile stays');
      assert.deepEqual(await (await hub.call(`/profiles/${profiles[0]!.id}/samples`)).json(), []);
    } finally {
      await hub.stop();
    }
  });

  it('leaves generated audio without a history row, which the next boot removes, keeping the committed sample', async () => {
    const dataDir = await crashDuring('generation');
    assert.equal((await filesIn(dataDir, 'generations')).length, 1, 'the audio reached the disk');
    assert.equal(rows(dataDir, 'studio_generations'), 0, 'its row did not');
    const hub = await startStudioHub({}, { smoke: [], dataDir });
    try {
      assert.deepEqual(await filesIn(dataDir, 'generations'), []);
      assert.equal((await filesIn(dataDir, 'samples')).length, 1, 'the committed sample file stays');
      assert.deepEqual(await (await hub.call('/history')).json(), { items: [], total: 0 });
      const [profile] = (await (await hub.call('/profiles')).json()) as { id: string }[];
      assert.equal(((await (await hub.call(`/profiles/${profile!.id}/samples`)).json()) as unknown[]).length, 1);
    } finally {
      await hub.stop();
    }
  });
});
