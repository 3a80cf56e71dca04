// The studio's part of the hub's OpenAPI document, built from the route declarations and
// the seed's schemas. In the hub's document the seed's model names get a `Studio` prefix
// (the hub already has a `ModelStatus` of its own) and its tags a `Voice studio: ` one (in core/openapi/tags.ts);
// everything else — paths, operation ids, fields, limits, defaults — is the seed's.
import type { OpenApiFragment } from '../../http/surface.ts';
import { TAGS } from '../../openapi/tags.ts';
import { STUDIO_ROUTES, type StudioRoute } from './routes.ts';
import { STUDIO_SCHEMAS } from './schemas.ts';

export const SCHEMA_PREFIX = 'Studio';

const ref = (name: string) => ({ $ref: `#/components/schemas/${SCHEMA_PREFIX}${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const titleOf = (name: string) => name.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');

const ASYNC_NOTE = "Runs as a hub task: the answer carries its id in `X-Task-Id`. With `Prefer: respond-async` (or `?async=true`) the call answers 202 at once; the task's result is the GenerationResponse.";

const HUB_ERRORS: Record<string, unknown> = {
  '400': errorRef('BadRequest'),
  '401': errorRef('Unauthorized'),
  '403': errorRef('Forbidden'),
  '404': { description: 'No such profile, sample, generation or model (or it belongs to another key).', content: json({ $ref: '#/components/schemas/Error' }) },
  '409': { description: 'The model is weight-free: nothing to download.', content: json({ $ref: '#/components/schemas/Error' }) },
  '413': errorRef('PayloadTooLarge'),
  '415': { description: 'The upload is not audio the hub can decode (WAV, MP3, FLAC, OGG).', content: json({ $ref: '#/components/schemas/Error' }) },
  '503': errorRef('Unavailable'),
};

/** Renames `#/components/schemas/X` to the prefixed name inside a seed schema. */
function prefixed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(prefixed);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', `#/components/schemas/${SCHEMA_PREFIX}`) : prefixed(v)]));
}

function responseSchema(route: StudioRoute): unknown {
  if (!route.response) return {};
  if (route.response.startsWith('array:')) return { items: ref(route.response.slice(6)), type: 'array', title: route.responseTitle };
  return ref(route.response);
}

/**
 * What Swagger UI pre-fills. Ids of objects a person makes first (profiles, samples,
 * generations) have no example: the box stays empty until they paste one.
 */
function bodyExamples(exampleModel: string): Record<string, Record<string, unknown>> {
  return {
    VoiceProfileCreate: { name: 'My voice', description: 'Read in a quiet room', language: 'en' },
    GenerationRequest: { profile_id: 'paste an id from GET /profiles', text: 'Hello in my voice.', language: 'en' },
    ModelDownloadRequest: { model_name: exampleModel },
    Body_add_profile_sample_profiles__profile_id__samples_post: { reference_text: 'What the sample says, word for word.' },
    Body_transcribe_audio_transcribe_post: { language: 'en' },
  };
}

function operation(route: StudioRoute, limits: SampleLimits, exampleModel: string): Record<string, unknown> {
  const pathParams = [...route.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => ({
    name: m[1]!,
    in: 'path',
    required: true,
    schema: { type: 'string', title: titleOf(m[1]!) },
    ...(m[1] === 'model_name' ? { example: exampleModel } : {}),
  }));
  const query = (route.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, schema: q.schema }));
  const op: Record<string, unknown> = {
    tags: [TAGS[`studio${route.tag}`].name],
    summary: route.summary,
    description: [
      route.description,
      route.admin ? 'Needs a key with the admin role.' : '',
      route.handler === 'generation.generate' ? ASYNC_NOTE : '',
      route.handler === 'profiles.addSample' ? `The sample must be ${limits.minSampleSeconds} to ${limits.maxSampleSeconds} s of audio (422 otherwise; 415 when it is not audio).` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
    operationId: route.operationId,
    security: route.open ? [] : [{ ApiKeyAuth: [] }, { BearerAuth: [] }],
  };
  if (pathParams.length || query.length) op.parameters = [...pathParams, ...query];
  if (route.body) {
    const example = bodyExamples(exampleModel)[route.body.model];
    op.requestBody = { required: true, content: { [route.body.multipart ? 'multipart/form-data' : 'application/json']: { schema: ref(route.body.model), ...(example ? { example } : {}) } } };
  }
  const responses: Record<string, unknown> = { '200': { description: 'Successful Response', content: json(responseSchema(route)) } };
  if (route.path === '/audio/{generation_id}') responses['200'] = { description: 'Successful Response: the generated audio', content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } } };
  if (route.path === '/models/progress/{model_name}') responses['200'] = { description: 'Download progress as Server-Sent Events (`data:` lines of JSON)', content: { 'text/event-stream': { schema: { type: 'string' } } } };
  if (route.handler === 'generation.generate') {
    responses['202'] = { description: 'Accepted as a task (asked with `Prefer: respond-async`)', content: json({ $ref: '#/components/schemas/TaskAccepted' }) };
  }
  if (route.validates) responses['422'] = { description: 'Validation Error', content: json(ref('HTTPValidationError')) };
  for (const code of route.errors) responses[code] = HUB_ERRORS[code];
  op.responses = responses;
  return op;
}

export interface SampleLimits {
  readonly minSampleSeconds: number;
  readonly maxSampleSeconds: number;
}

/** `exampleModel` is a model the studio can use, so Swagger's first Execute names one that exists. */
export function studioOpenApi(prefix: string, limits: SampleLimits, exampleModel: string): OpenApiFragment {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of STUDIO_ROUTES) {
    const path = prefix + (route.path === '/' && prefix ? '' : route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route, limits, exampleModel) };
  }
  return {
    paths,
    schemas: Object.fromEntries(Object.entries(STUDIO_SCHEMAS).map(([name, schema]) => [`${SCHEMA_PREFIX}${name}`, prefixed(schema)])),
  };
}
