// The operations a fuzz run attacks, read from the hub's own OpenAPI document (every
// surface describes itself there: the plugins' /api routes, tasks, keys, models, the
// OpenAI-compatible /v1 and the studio). Only operations with something a client can get
// wrong are kept: a body, a path parameter or a query parameter.

export type JsonSchema = Record<string, any>;

export interface BodyForm {
  readonly type: 'application/json' | 'multipart/form-data' | 'application/x-www-form-urlencoded';
  readonly schema: JsonSchema;
  /** Operation-level example values, used for required fields without an example of their own. */
  readonly example: Record<string, unknown>;
}

export interface FuzzOperation {
  readonly method: string;
  readonly template: string;
  /** Which error shape answers here: `{code, message}` where the operation documents it, OpenAI's `{error: {...}}` elsewhere under /v1, `{detail}` otherwise. */
  readonly shape: 'openai' | 'detail' | 'code';
  readonly pathParams: readonly string[];
  readonly query: readonly { readonly name: string; readonly schema: JsonSchema }[];
  readonly bodies: readonly BodyForm[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const BODY_TYPES = ['application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'] as const;

/** Follows a local `$ref` (`#/components/...`) to what it names. */
export function deref(document: JsonSchema, node: JsonSchema | undefined): JsonSchema {
  let current = node ?? {};
  for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops++) {
    current = (current.$ref as string).slice(2).split('/').reduce<any>((at, key) => at?.[key], document) ?? {};
  }
  return current;
}

export function fuzzOperations(document: JsonSchema): FuzzOperation[] {
  const out: FuzzOperation[] = [];
  for (const [template, item] of Object.entries<JsonSchema>(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as JsonSchema | undefined;
      if (!op) continue;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: JsonSchema) => deref(document, p));
      const pathParams = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      // api_key in the query is a credential, not a field: a wrong one is a 401, tested elsewhere.
      const query = parameters.filter((p) => p.in === 'query' && p.name !== 'api_key' && p.name !== 'async').map((p) => ({ name: p.name as string, schema: deref(document, p.schema) }));
      const content = deref(document, op.requestBody).content ?? {};
      const bodies = BODY_TYPES.filter((type) => content[type]).map((type) => {
        const schema = deref(document, content[type].schema);
        const properties = Object.fromEntries(Object.entries<JsonSchema>(schema.properties ?? {}).map(([name, s]) => [name, deref(document, s)]));
        return { type, schema: { ...schema, properties }, example: (content[type].example ?? {}) as Record<string, unknown> };
      });
      if (!bodies.length && !pathParams.length && !query.length) continue;
      out.push({ method: method.toUpperCase(), template, shape: errorShape(document, template, op), pathParams, query, bodies });
    }
  }
  return out;
}

/** The error shape an operation documents for its 4xx answers. */
function errorShape(document: JsonSchema, template: string, op: JsonSchema): FuzzOperation['shape'] {
  for (const [status, response] of Object.entries<JsonSchema>(op.responses ?? {})) {
    if (!status.startsWith('4')) continue;
    const schema = deref(document, deref(document, response).content?.['application/json']?.schema);
    if (schema?.required?.includes('code') && schema.required.includes('message')) return 'code';
  }
  return /^\/(api\/)?v1\//.test(template) ? 'openai' : 'detail';
}

/** An upload field of a multipart body (OpenAPI's binary string). */
export const isUpload = (schema: JsonSchema) => schema.format === 'binary' || schema.contentMediaType !== undefined || (schema.type === 'array' && schema.items?.format === 'binary');
