// Builds the OpenAPI 3.1 document from the same declarations the router mounts, so the
// docs cannot drift from the code.
import type { OpenApiFragment } from '../http/surface.ts';
import { withResponseFormat } from '../http/response-format.ts';
import type { RouteDecl, UploadDecl } from '../plugin/types.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import { errorComponents, errorResponses, KEY_SECURITY } from './components.ts';
import { pluginRouteTag, TAGS } from './tags.ts';

export interface DocumentInput {
  readonly version: string;
  readonly plugins: readonly LoadedPlugin[];
  readonly surfaces: readonly OpenApiFragment[];
  readonly audioFormats: readonly string[];
  readonly contentTypeOf: (format: string) => string;
}

/** Schema keywords that are ours, not JSON Schema's, are dropped from the published document. */
function publicSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(publicSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).filter(([k]) => k !== 'x-aliases').map(([k, v]) => [k, publicSchema(v)]));
}

/**
 * The route's example values reach the document as each field's `examples`, so Swagger UI
 * pre-fills a form that works on the first Execute (and never sends `"string"`).
 */
function withExamples(properties: Record<string, unknown>, example: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  if (!example) return properties;
  return Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => [name, name in example ? { ...(schema as Record<string, unknown>), examples: [example[name]] } : schema]),
  );
}

/** The request a first Execute sends: the route's example values; wav, which a browser can play, for audio. */
function requestExample(properties: Readonly<Record<string, unknown>>, route: RouteDecl, formats: readonly string[]): Record<string, unknown> {
  const example: Record<string, unknown> = { ...route.example };
  if (route.produces === 'audio' && 'response_format' in properties && !('response_format' in example)) example.response_format = formats[0];
  for (const name of Object.keys(example)) if (!(name in properties)) delete example[name]; // upload names, e.g. a .npy example
  return example;
}

function uploadSchema(upload: UploadDecl): Record<string, unknown> {
  const accepts = upload.accept === 'npy' ? '.npy array' : upload.accept === 'audio-or-npy' ? 'WAV, MP3, FLAC or OGG audio, or a .npy array' : 'WAV, MP3, FLAC or OGG audio';
  return {
    type: 'string',
    format: 'binary',
    description: `${upload.description ?? 'Audio file'} (${accepts}; ${upload.class} upload limits apply)`,
  };
}

/** Every plugin route also runs as an async task (core/jobs); `TaskAccepted` comes from the tasks surface. */
const ASYNC_PARAMETERS = [
  {
    name: 'Prefer',
    in: 'header',
    required: false,
    description: '`respond-async` (RFC 7240) runs the call as a task: 202 with the task\'s URLs instead of the result.',
    schema: { type: 'string', enum: ['respond-async'] }, // no example: a pre-filled Prefer would turn every first Execute into a task
  },
  { name: 'async', in: 'query', required: false, description: 'Same as `Prefer: respond-async`; `false` forces a synchronous answer.', schema: { type: 'boolean' } },
];
const ASYNC_ACCEPTED = {
  description: 'Accepted as an async task (asked with `Prefer: respond-async` or `?async=true`). Follow it at progress_url (WebSocket) or events_url (SSE); fetch the result at result_url.',
  headers: { Location: { description: 'The task\'s status URL', schema: { type: 'string' } } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/TaskAccepted' } } },
};

function operation(plugin: LoadedPlugin, route: RouteDecl, input: DocumentInput): Record<string, unknown> {
  const fields = withResponseFormat(route, input.audioFormats);
  const properties = withExamples(publicSchema(fields.properties) as Record<string, unknown>, requestExample(fields.properties, route, input.audioFormats));
  const uploads = route.uploads ?? [];
  const required = [...(fields.required ?? []), ...uploads.filter((u) => u.required).map((u) => u.name)];
  const op: Record<string, unknown> = {
    tags: [pluginRouteTag(route.path, plugin.decl.task)],
    summary: route.summary,
    description: [route.description ?? plugin.decl.summary, `Plugin \`${plugin.decl.name}\` (${plugin.decl.license}).`].join('\n\n'),
    operationId: `${plugin.decl.name}_${route.method.toLowerCase()}_${route.path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '')}`,
    security: KEY_SECURITY,
  };
  if (route.method === 'GET' || route.method === 'DELETE') {
    op.parameters = Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.includes(name), schema }));
  } else {
    const form = { type: 'object', properties: { ...properties, ...Object.fromEntries(uploads.map((u) => [u.name, uploadSchema(u)])) }, required };
    // Swagger UI pre-fills a body from its media type's `example` (else it invents "string"s).
    const example = requestExample(properties, route, input.audioFormats);
    const content: Record<string, unknown> = { 'multipart/form-data': { schema: form, example } };
    if (!uploads.some((u) => u.required)) content['application/json'] = { schema: { type: 'object', properties, required: fields.required ?? [] }, example };
    op.requestBody = { required: true, content };
  }
  const pathParams = [...route.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (pathParams.length) op.parameters = [...pathParams, ...((op.parameters as unknown[]) ?? [])];
  const ok =
    route.produces === 'audio'
      ? {
          description: 'The generated audio, in the requested format.',
          headers: {
            'X-Weight-State': { description: 'installed, smoke (test graphs: meaningless audio) or weight-free', schema: { type: 'string' } },
            'X-Sample-Rate': { schema: { type: 'integer' } },
          },
          content: Object.fromEntries(input.audioFormats.map((f) => [input.contentTypeOf(f), { schema: { type: 'string', format: 'binary' } }])),
        }
      : { description: 'Result', content: { 'application/json': { schema: { type: 'object' } } } };
  op.parameters = [...((op.parameters as unknown[]) ?? []), ...ASYNC_PARAMETERS];
  op.responses = { '200': ok, '202': ASYNC_ACCEPTED, ...errorResponses(uploads.length > 0) };
  return op;
}

/**
 * The central tag list, in its order, less the tags no operation uses. A tag that is not in
 * core/openapi/tags.ts goes last (with the description its surface gives); one that differs
 * from another only in case is refused, since Swagger UI would show two groups.
 */
function usedTags(paths: Record<string, Record<string, unknown>>, surfaces: readonly OpenApiFragment[]): { name: string; description?: string }[] {
  const used = new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => ((op as { tags?: string[] }).tags ?? []))));
  const known: { name: string; description?: string }[] = Object.values(TAGS);
  const extra = [...used].filter((name) => !known.some((tag) => tag.name === name));
  const all = [...known.filter((tag) => used.has(tag.name)), ...extra.map((name) => surfaces.flatMap((s) => s.tags ?? []).find((t) => t.name === name) ?? { name })];
  const seen = new Map<string, string>();
  for (const { name } of all) {
    const twin = seen.get(name.toLowerCase());
    if (twin !== undefined) throw new Error(`openapi: tags '${twin}' and '${name}' differ only in case; use the one in core/openapi/tags.ts`);
    seen.set(name.toLowerCase(), name);
  }
  return all.map(({ name, description }) => (description ? { name, description } : { name }));
}

export function buildOpenApiDocument(input: DocumentInput): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  // The plugins' own routes are the primary surface: they come first, grouped by task in
  // the seed's order (TTS, VC, SVC, TTA, codecs, vocoders, ...), then the core's surfaces.
  const taskOrder = Object.keys(TAGS);
  const rank = (task: string) => (taskOrder.includes(task) ? taskOrder.indexOf(task) : taskOrder.length);
  for (const plugin of [...input.plugins].sort((a, b) => rank(a.decl.task) - rank(b.decl.task))) {
    for (const route of plugin.decl.routes) {
      const path = `/api${route.path}`;
      paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(plugin, route, input) };
    }
  }
  for (const fragment of input.surfaces) {
    for (const [path, item] of Object.entries(fragment.paths)) paths[path] = { ...paths[path], ...(item as Record<string, unknown>) };
  }
  const schemas = Object.assign({}, ...input.surfaces.map((s) => s.schemas ?? {}));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Speech Model Hub',
      version: input.version,
      description:
        'Plugin-based hub for speech and audio research models. Authenticate with `X-API-Key` (or `Authorization: Bearer <key>`). ' +
        'Every error answers `{"detail": "..."}`. Audio routes tell their weight state in `X-Weight-State`: `smoke` means test graphs whose audio is meaningless.',
    },
    servers: [{ url: '/' }],
    tags: usedTags(paths, input.surfaces),
    paths,
    components: errorComponents(schemas),
  };
}
