// pino-pretty is for a person at a terminal in development; everything else gets JSON lines.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { logDestination } from '../../core/log/destination.ts';
import { makeLogger } from '../../core/log/logger.ts';

describe('log destination', () => {
  it('pretty-prints for a development terminal only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-log-'));
    const fd = openSync(join(dir, 'out'), 'w');
    try {
      const terminal = { isTTY: true, fd };
      assert.equal(await logDestination('production', terminal), undefined);
      assert.equal(await logDestination('test', terminal), undefined);
      assert.equal(await logDestination('development', { isTTY: false, fd }), undefined);
      const pretty = await logDestination('development', terminal);
      assert.ok(pretty);
      makeLogger({ level: 'info', destination: pretty }).info('hub ready', { plugins: 3 });
      const text = readFileSync(join(dir, 'out'), 'utf8');
      assert.match(text, /INFO.*hub ready/);
      assert.match(text, /plugins: 3/);
      assert.throws(() => JSON.parse(text));
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes JSON lines with an ISO time and a level name', () => {
    const out: string[] = [];
    makeLogger({ level: 'info', write: (line) => out.push(line) }).warn('careful', { n: 1 });
    const line = JSON.parse(out[0]!) as Record<string, unknown>;
    assert.deepEqual([line.level, line.msg, line.n], ['warn', 'careful', 1]);
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/);
  });
});
