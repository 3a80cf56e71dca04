// TypeScript worker threads: they load tsx themselves, so the parent's tsx options are not
// passed on (inherited, they made the workers' code about 30 % slower).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { once } from 'node:events';
import { getPriority } from 'node:os';
import { startTypeScriptWorker, workerExecArgv } from '../../core/threads/typescript-worker.ts';

describe('TypeScript worker threads', () => {
  it('leave out only the options that load tsx', () => {
    assert.deepEqual(workerExecArgv(['--import', 'tsx', '--max-old-space-size=512']), ['--max-old-space-size=512']);
    assert.deepEqual(workerExecArgv(['--import=tsx', '--require', 'tsx/cjs', '--loader', 'tsx/esm', '--enable-source-maps']), ['--enable-source-maps']);
    assert.deepEqual(workerExecArgv(['--import', './instrument.mjs', '--conditions=dev']), ['--import', './instrument.mjs', '--conditions=dev']);
  });

  it('run a TypeScript entry', async () => {
    const worker = startTypeScriptWorker(new URL('./support/echo-worker.ts', import.meta.url));
    worker.postMessage(21);
    const [reply] = await once(worker, 'message');
    assert.equal(reply, 42);
    await worker.terminate();
  });

  it('start when the parent runs with options a worker may not be given (--trace-gc)', async () => {
    process.execArgv.push('--trace-gc');
    try {
      const worker = startTypeScriptWorker(new URL('./support/echo-worker.ts', import.meta.url));
      worker.postMessage(4);
      const [reply] = await once(worker, 'message');
      assert.equal(reply, 8);
      await worker.terminate();
    } finally {
      process.execArgv.pop();
    }
  });

  it('run compute work below the event loop, with every thread they start (Linux)', { skip: process.platform !== 'linux' && 'thread priorities are per thread only on Linux' }, async () => {
    const ask = async (options: { background?: boolean }) => {
      const worker = startTypeScriptWorker(new URL('./support/priority-worker.ts', import.meta.url), options);
      worker.postMessage('nice?');
      const [reply] = await once(worker, 'message');
      await worker.terminate();
      return reply as { own: number; started: number };
    };
    const mine = getPriority(0);
    assert.deepEqual(await ask({ background: true }), { own: 10, started: 10 });
    assert.deepEqual(await ask({}), { own: mine, started: mine });
    assert.equal(getPriority(0), mine, "the parent's thread keeps its priority");
  });
});
