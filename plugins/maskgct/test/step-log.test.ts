import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeLogger } from '../../../core/log/logger.ts';
import { makeStepLog } from '../pipeline/step-log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const progress: [number, string | undefined, string | undefined][] = [];
  return { lines, progress, report: (f: number, m?: string, s?: string) => void progress.push([f, m, s]) };
}

describe('the step log', () => {
  it('logs each step with its time and the process memory', async () => {
    const c = capture();
    const log = makeStepLog({ signal: new AbortController().signal, log: makeLogger({ level: 'debug', write: (l) => void c.lines.push(JSON.parse(l)) }), progress: c.report }, 4);
    assert.equal(await log.step('t2s', { step: 1, of: 4 }, async () => 'done'), 'done');
    const [line] = c.lines;
    assert.equal(line!.msg, 'maskgct step');
    assert.equal(line!.level, 'debug');
    assert.equal(line!.stage, 't2s');
    assert.equal(line!.step, 1);
    for (const key of ['ms', 'rssMb', 'heapMb', 'externalMb']) assert.equal(typeof line![key], 'number', key);
  });

  it('logs what a stage feeds all its graph calls at debug level, without counting a step', () => {
    const c = capture();
    const log = makeStepLog({ signal: new AbortController().signal, log: makeLogger({ level: 'debug', write: (l) => void c.lines.push(JSON.parse(l)) }), progress: c.report }, 4);
    log.inputs('t2s', { phone_ids: [41, 57, 1] });
    assert.deepEqual(
      c.lines.map(({ msg, level, stage, phone_ids }) => ({ msg, level, stage, phone_ids })),
      [{ msg: 'maskgct stage inputs', level: 'debug', stage: 't2s', phone_ids: [41, 57, 1] }],
    );
    assert.equal(log.done, 0);
    assert.deepEqual(c.progress, []);
  });

  it('advances progress by one unit per step, with the stage named', async () => {
    const c = capture();
    const log = makeStepLog({ signal: new AbortController().signal, log: makeLogger({ level: 'silent' }), progress: c.report }, 4);
    await log.step('t2s', { step: 1 }, async () => {});
    await log.step('s2a', { layer: 0 }, async () => {});
    assert.deepEqual(c.progress, [
      [0.25, 't2s step 1', 't2s'],
      [0.5, 's2a layer 0', 's2a'],
    ]);
    assert.equal(log.done, 2);
  });

  it('never reports past 1 when a loop runs longer than planned', async () => {
    const c = capture();
    const log = makeStepLog({ signal: new AbortController().signal, log: makeLogger({ level: 'silent' }), progress: c.report }, 1);
    await log.step('x', {}, async () => {});
    await log.step('x', {}, async () => {});
    assert.deepEqual(c.progress.map((p) => p[0]), [1, 1]);
  });

  it('checks the abort signal before each step and does not start the work', async () => {
    const controller = new AbortController();
    const log = makeStepLog({ signal: controller.signal, log: makeLogger({ level: 'silent' }), progress: () => {} }, 3);
    controller.abort(new Error('client went away'));
    let ran = false;
    await assert.rejects(log.step('t2s', {}, async () => void (ran = true)), /client went away/);
    assert.equal(ran, false);
  });

  it('logs a stage total at info level', async () => {
    const c = capture();
    const log = makeStepLog({ signal: new AbortController().signal, log: makeLogger({ level: 'info', write: (l) => void c.lines.push(JSON.parse(l)) }), progress: () => {} }, 2);
    await log.step('t2s', { step: 1 }, async () => {});
    log.stageDone('t2s', { steps: 1 });
    assert.equal(c.lines.length, 1);
    assert.equal(c.lines[0]!.msg, 'maskgct stage done');
    assert.equal(c.lines[0]!.steps, 1);
    assert.equal(typeof c.lines[0]!.ms, 'number');
  });
});
