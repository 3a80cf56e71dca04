// Whatever a client sends the studio — any id in a path, any query, any JSON body — it
// gets an answer in the seed's shapes (a 2xx, or a 4xx with `detail`), never a 500, and
// the hub keeps answering. Property-based: fast-check generates the requests.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { TestHub } from '../support/test-hub.ts';
import { json, sampleForm, startStudioHub } from './support.ts';

const RUNS = 60;

describe('the studio under arbitrary client input', () => {
  let hub: TestHub;
  let profile: string;
  before(async () => {
    hub = await startStudioHub({}, { smoke: [] });
    profile = ((await (await hub.call('/profiles', json({ name: 'Target' }))).json()) as { id: string }).id;
    await hub.call(`/profiles/${profile}/samples`, { method: 'POST', body: sampleForm() });
  });
  after(() => hub.stop());

  async function answered(res: Response, what: string): Promise<void> {
    const text = await res.text();
    assert.ok(res.status < 500, `${what} → ${res.status} ${text}`);
    if (res.status >= 400) {
      const detail = (JSON.parse(text) as { detail: unknown }).detail;
      assert.ok(typeof detail === 'string' || (Array.isArray(detail) && detail.every((d) => Array.isArray(d.loc) && typeof d.msg === 'string' && typeof d.type === 'string')), `${what}: ${text}`);
    }
  }

  it('answers any id in any path with 2xx or 4xx', async () => {
    const paths = ['/profiles/%s', '/profiles/%s/samples', '/history/%s', '/audio/%s', '/models/progress/%s'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('GET', 'DELETE'), async (template, id, method) => {
        const path = template.replace('%s', encodeURIComponent(id) || 'x');
        await answered(await hub.call(path, { method }), `${method} ${path}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any history query with 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('search', 'limit', 'offset', 'profile_id'), fc.string({ unit: 'binary', maxLength: 30 })), async (query) => {
        const path = `/history?${new URLSearchParams(query)}`;
        await answered(await hub.call(path), `GET ${path}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any JSON body on the JSON routes with 2xx or 4xx', async () => {
    const value = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(profile), fc.array(fc.integer(), { maxLength: 3 }));
    const body = fc.oneof(fc.dictionary(fc.constantFrom('profile_id', 'text', 'language', 'seed', 'model_size', 'engine', 'name', 'description', 'model_name'), value), fc.jsonValue());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/generate', '/profiles', `/profiles/${profile}`, '/models/download'), body, async (path, fields) => {
        const method = path.startsWith('/profiles/') ? 'PUT' : 'POST';
        await answered(await hub.call(path, json(fields, method)), `${method} ${path} ${JSON.stringify(fields)}`);
      }),
      { numRuns: RUNS },
    );
    assert.equal((await hub.call('/health')).status, 200, 'still answering');
  });
});
