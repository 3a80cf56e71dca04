// The voice studio against seed 000 (the voicebox OpenAPI document): every operation of
// the seed is called on a real hub and each answer is validated with ajv against the
// response schema the seed gives for its status (200, and 422 wherever a request can be
// invalid); the hub's own /api/openapi.json carries every seed operation with the seed's
// models; and no operation of the seed goes uncalled.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { standInGraphBytes } from '../support/stand-in-weights.ts';
import { readEvents } from '../onnx/support/sse.ts';
import { startWeightServer, type WeightServer } from '../onnx/support/weight-server.ts';
import { loadSeed } from '../support/seeds.ts';
import { wavBlobFor, type TestHub } from '../support/test-hub.ts';
import graphCloneTts from './fixtures/graph-clone-tts/index.ts';
import { graphCloneEntry, json, sampleForm, startStudioHub } from './support.ts';

type Doc = { paths: Record<string, Record<string, { operationId: string; summary: string; parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: { $ref: string } }> }; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };

const seed = loadSeed('000_');
const METHODS = ['get', 'put', 'post', 'delete'] as const;

describe('the voice studio conforms to seed 000 (voicebox OpenAPI)', { skip: 'skip' in seed ? seed.skip : false }, () => {
  const doc = ('text' in seed ? JSON.parse(seed.text) : { paths: {}, components: { schemas: {} } }) as Doc;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  /** operationId → the statuses whose answers were validated */
  const checked = new Map<string, Set<string>>();
  const opAt = (method: string, path: string) => doc.paths[path]![method]!;

  let hub: TestHub;
  let server: WeightServer;
  before(async () => {
    const bytes = standInGraphBytes(graphCloneTts.graphs!.decoder!, { plugin: 'graph-clone-tts', graph: 'decoder' });
    server = await startWeightServer({ 'decoder.onnx': bytes });
    const weights = { baseUrl: server.url, files: [{ path: 'decoder.onnx', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength }] };
    // The weight server is on loopback: allowed here as a lab's config would (the default refuses it).
    hub = await startStudioHub({ studio: { defaultEngine: 'graph-clone-tts' }, onnx: { progressHeartbeatMs: 200, workers: 1 }, fetch: { allow: ['127.0.0.1/32'] } }, { extra: [graphCloneEntry(weights)] });
  });
  after(async () => {
    await hub?.stop();
    await server?.close();
  });

  let lastWeightState: string | null = null;
  /** Calls the hub and validates the JSON answer against the seed's schema for that status. */
  async function call(method: string, path: string, concrete: string, init: RequestInit = {}, expected = 200): Promise<unknown> {
    const res = await hub.call(concrete, { ...init, method: method.toUpperCase() });
    const text = await res.text();
    lastWeightState = res.headers.get('x-weight-state');
    assert.equal(res.status, expected, `${method.toUpperCase()} ${concrete}: ${text}`);
    const op = opAt(method, path);
    const declared = op.responses[String(expected)];
    assert.ok(declared, `the seed declares ${expected} for ${op.operationId}`);
    const body = JSON.parse(text) as unknown;
    const validate = ajv.compile({ ...(declared.content!['application/json']!.schema as object), components: doc.components });
    assert.ok(validate(body), `${op.operationId} ${expected}: ${ajv.errorsText(validate.errors)}\n${text}`);
    if (!checked.has(op.operationId)) checked.set(op.operationId, new Set());
    checked.get(op.operationId)!.add(String(expected));
    return body;
  }
  const mark = (method: string, path: string, status: string) => {
    const id = opAt(method, path).operationId;
    if (!checked.has(id)) checked.set(id, new Set());
    checked.get(id)!.add(status);
  };

  it('answers every operation of the seed in its response models, and 422 in its validation model', async () => {
    await call('get', '/', '/');
    await call('get', '/health', '/health', { headers: { 'x-api-key': '' } });

    await call('post', '/profiles', '/profiles', json({ name: 'x'.repeat(101) }), 422);
    const profile = (await call('post', '/profiles', '/profiles', json({ name: 'Narrator', description: 'Calm and low' }))) as { id: string };
    await call('get', '/profiles', '/profiles');
    await call('get', '/profiles/{profile_id}', `/profiles/${profile.id}`);
    await call('put', '/profiles/{profile_id}', `/profiles/${profile.id}`, json({ name: 'Narrator', language: 'fr' }, 'PUT'), 422);
    await call('put', '/profiles/{profile_id}', `/profiles/${profile.id}`, json({ name: 'Narrator two', description: null, language: 'en' }, 'PUT'));

    await call('post', '/profiles/{profile_id}/samples', `/profiles/${profile.id}/samples`, { body: sampleForm({ text: undefined }) }, 422);
    const sample = (await call('post', '/profiles/{profile_id}/samples', `/profiles/${profile.id}/samples`, { body: sampleForm() })) as { id: string };
    await call('get', '/profiles/{profile_id}/samples', `/profiles/${profile.id}/samples`);

    await call('post', '/models/download', '/models/download', json({}), 422);
    const progress = await hub.call('/models/progress/graph-clone-tts');
    assert.equal(progress.status, 200);
    assert.match(progress.headers.get('content-type')!, /^text\/event-stream/);
    const events = readEvents(progress);
    await events.until((e) => e.status === 'idle');
    await call('post', '/models/download', '/models/download', json({ model_name: 'graph-clone-tts' }));
    const seen = await events.until((e) => e.status === 'complete' || e.status === 'error');
    assert.equal(seen.at(-1)!.status, 'complete', JSON.stringify(seen.at(-1)));
    mark('get', '/models/progress/{model_name}', '200');

    const status = (await call('get', '/models/status', '/models/status')) as { models: { model_name: string; downloaded: boolean }[] };
    assert.equal(status.models.find((m) => m.model_name === 'graph-clone-tts')?.downloaded, true);
    await call('post', '/models/load', '/models/load?model_size=0.6B');

    await call('post', '/generate', '/generate', json({ profile_id: profile.id, text: 'x'.repeat(5001) }), 422);
    const generation = (await call('post', '/generate', '/generate', json({ profile_id: profile.id, text: 'Hello there.', seed: 7 }))) as { id: string };
    await call('get', '/history', '/history?limit=100000', {}, 422);
    await call('get', '/history', '/history?search=hello&limit=10');
    await call('get', '/history/{generation_id}', `/history/${generation.id}`);
    await call('get', '/history/stats', '/history/stats');

    const audio = await hub.call(`/audio/${generation.id}`);
    assert.equal(audio.status, 200);
    assert.equal(audio.headers.get('content-type'), 'audio/wav');
    assert.equal(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString('latin1'), 'RIFF');
    mark('get', '/audio/{generation_id}', '200');

    await call('post', '/transcribe', '/transcribe', { body: new FormData() }, 422);
    const form = new FormData();
    form.set('file', wavBlobFor({ seconds: 1.5, sampleRate: 16000 }), 'speech.wav');
    const transcript = (await call('post', '/transcribe', '/transcribe', { body: form })) as { duration: number };
    assert.equal(lastWeightState, 'smoke', 'smoke-graph transcripts say so');
    assert.equal(transcript.duration, 1.5);

    await call('post', '/models/unload', '/models/unload');
    await call('delete', '/history/{generation_id}', `/history/${generation.id}`);
    await call('delete', '/profiles/samples/{sample_id}', `/profiles/samples/${sample.id}`);
    await call('delete', '/profiles/{profile_id}', `/profiles/${profile.id}`);

    const every = Object.values(doc.paths).flatMap((item) => METHODS.filter((m) => item[m]).map((m) => item[m]!.operationId));
    assert.deepEqual(every.filter((id) => !checked.has(id)), [], 'every seed operation was called');
  });

  it("documents every seed operation in the hub's /api/openapi.json with the seed's models", async () => {
    const ours = (await (await hub.call('/api/openapi.json')).json()) as Doc;
    const seedRef = (ref: string) => ref.replace('#/components/schemas/', '#/components/schemas/Studio');
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const mine = ours.paths[path]?.[method];
        assert.ok(mine, `${method.toUpperCase()} ${path} is in the hub's document`);
        if (path !== '/health') {
          assert.equal(mine.operationId, op.operationId);
          assert.equal(mine.summary, op.summary);
        }
        assert.deepEqual((mine.parameters ?? []).map((p) => `${p.in}:${p.name}`), (op.parameters ?? []).map((p) => `${p.in}:${p.name}`), `${op.operationId} parameters`);
        for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
          assert.equal(mine.requestBody?.content[type]?.schema.$ref, seedRef(media.schema.$ref), `${op.operationId} request body`);
        }
        for (const [status, response] of Object.entries(op.responses)) {
          const schema = response.content?.['application/json']?.schema as { $ref?: string } | undefined;
          if (!schema?.$ref) continue;
          const found = JSON.stringify(mine.responses[status]?.content?.['application/json']?.schema);
          assert.ok(found?.includes(seedRef(schema.$ref)), `${op.operationId} ${status} answers ${schema.$ref}: ${found}`);
        }
      }
    }
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      const mine = structuredClone(ours.components.schemas[`Studio${name}`]) as { properties: Record<string, unknown> };
      if (name === 'GenerationRequest') delete mine.properties.engine; // the hub's one addition
      assert.deepEqual(JSON.parse(JSON.stringify(mine).replaceAll('#/components/schemas/Studio', '#/components/schemas/')), schema, `schema ${name}`);
    }
  });
});
