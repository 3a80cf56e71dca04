// The root /health is one handler answering the union of the single-model-server
// documents: seed 000's HealthResponse (voicebox) and seed 004's speech-server health
// (VoxCPM: engine, routing, metrics), GET and HEAD. With a studio prefix the studio's
// routes move under it, and /health answers there too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { STUDIO_SCHEMAS } from '../../core/surfaces/studio/schemas.ts';
import { loadSeed } from '../support/seeds.ts';
import type { TestHub } from '../support/test-hub.ts';
import { json, startStudioHub } from './support.ts';

type Json = Record<string, unknown>;

/** Seed 004 is prose: its health example is the JSON block after the heading. */
function seed004Example(): Json | { skip: string } {
  const seed = loadSeed('004_');
  if ('skip' in seed) return seed;
  const from = seed.text.indexOf('{', seed.text.indexOf('GET /health and HEAD /health'));
  let depth = 0;
  for (let i = from; i < seed.text.length; i++) {
    if (seed.text[i] === '{') depth++;
    if (seed.text[i] === '}' && --depth === 0) return JSON.parse(seed.text.slice(from, i + 1)) as Json;
  }
  throw new Error('seed 004: no health example found');
}

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

describe('the shared root /health', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startStudioHub({ openai: { defaultModel: 'espeak' } }, { smoke: [] });
  });
  after(() => hub.stop());

  it("answers seed 000's HealthResponse, open to all", async () => {
    const res = await hub.call('/health', { key: null } as RequestInit);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Json;
    const validate = new Ajv({ strict: false }).compile(STUDIO_SCHEMAS.HealthResponse);
    assert.ok(validate(body), JSON.stringify(validate.errors));
    assert.equal(body.model_loaded, true, 'tone-tts is weight-free: always loaded');
    assert.equal(body.gpu_available, false);
  });

  it("answers seed 004's fields with the seed's types, and counts speech requests in its metrics", async (t) => {
    const example = seed004Example();
    if ('skip' in example) return t.skip(example.skip as string);
    const before = (await (await hub.call('/health')).json()) as { metrics: { total_completed: number } };
    const speech = await hub.call('/v1/audio/speech', json({ input: 'Hello.', response_format: 'wav' }));
    assert.equal(speech.status, 200);
    await speech.arrayBuffer();
    const body = (await (await hub.call('/health')).json()) as Json;
    for (const [key, value] of Object.entries(example)) {
      assert.ok(key in body, `/health has ${key}`);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [inner, v] of Object.entries(value)) {
          const mine = (body[key] as Json)[inner];
          assert.ok(kind(mine) === kind(v) || mine === null, `${key}.${inner}: ${kind(mine)} where the seed has ${kind(v)}`);
        }
      } else if (value !== null) {
        assert.equal(kind(body[key]), kind(value), `${key}: ${kind(body[key])} where the seed has ${kind(value)}`);
      }
    }
    assert.equal(body.status, 'ok');
    assert.equal(body.engine, 'espeak');
    assert.equal(body.served_as, 'tts-1');
    assert.equal(body.engine_ready, true);
    assert.ok((body.voices_loaded as string[]).length > 0);
    assert.equal((body.metrics as { total_completed: number }).total_completed, before.metrics.total_completed + 1);
  });

  it('answers HEAD with the same status and headers and no body', async () => {
    const res = await hub.call('/health', { method: 'HEAD', key: null } as RequestInit);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });
});

describe('the studio under a prefix', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startStudioHub({ studio: { prefix: '/studio' } }, { smoke: [] });
  });
  after(() => hub.stop());

  it('serves its routes, its root and /health under the prefix, and documents them there', async () => {
    const made = await hub.call('/studio/profiles', json({ name: 'Prefixed' }));
    assert.equal(made.status, 200);
    assert.equal((await hub.call('/profiles')).status, 404);
    assert.equal(((await (await hub.call('/studio')).json()) as Json).message, 'voicebox API');
    assert.equal((await hub.call('/studio/health', { key: null } as RequestInit)).status, 200);
    assert.equal((await hub.call('/health', { key: null } as RequestInit)).status, 200);
    const doc = (await (await hub.call('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/studio/profiles/{profile_id}/samples']);
    assert.ok(doc.paths['/studio']);
    assert.ok(!doc.paths['/profiles']);
  });
});
