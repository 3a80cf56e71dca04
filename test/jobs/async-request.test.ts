import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asyncRequested, preferences } from '../../core/jobs/async-dispatch.ts';

const req = (prefer: string | string[] | undefined, query: Record<string, unknown> = {}) => ({ headers: { prefer }, query }) as never;

describe('asking for an async answer', () => {
  it('reads preference names from every Prefer header, case-insensitively, without their values or parameters', () => {
    assert.deepEqual([...preferences(req('wait=10, Respond-Async'))], ['wait', 'respond-async']);
    assert.deepEqual([...preferences(req(['handling=lenient', 'respond-async; foo=bar']))], ['handling', 'respond-async']);
    assert.deepEqual([...preferences(req(undefined))], []);
  });

  it('takes Prefer: respond-async, and lets ?async= decide either way', () => {
    assert.deepEqual(asyncRequested(req('respond-async')), { async: true, viaPrefer: true });
    assert.deepEqual(asyncRequested(req('return=minimal')), { async: false, viaPrefer: false });
    assert.deepEqual(asyncRequested(req(undefined, { async: 'true' })), { async: true, viaPrefer: false });
    assert.deepEqual(asyncRequested(req(undefined, { async: '1' })), { async: true, viaPrefer: false });
    assert.deepEqual(asyncRequested(req('respond-async', { async: 'false' })), { async: false, viaPrefer: false });
  });

  it('refuses any other value of ?async= with a 400 naming the field', () => {
    for (const value of ['yes', 'TRUE ', ['true', 'true']]) {
      assert.throws(() => asyncRequested(req(undefined, { async: value })), { status: 400, code: 'invalid_field', message: 'async: must be true or false' });
    }
  });
});
