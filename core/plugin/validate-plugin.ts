// Checks a plugin declaration before anything is mounted. Every problem is reported as
// `plugin 'x': route POST /y: body.z: reason`, so the author knows where to look.
import { Ajv } from 'ajv';
import { pluginMetaSchema } from './meta-schema.ts';
import type { PluginDecl, RouteDecl } from './types.ts';

export class PluginDeclarationError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`plugin declarations are invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PluginDeclarationError';
    this.problems = problems;
  }
}

const metaValidator = new Ajv({ allErrors: true, strict: false }).compile(pluginMetaSchema);

/** Keywords our route schemas may carry besides standard JSON Schema. */
export const EXTRA_KEYWORDS = ['example', 'x-aliases', 'x-capability'] as const;

export function routeLabel(route: Pick<RouteDecl, 'method' | 'path'>): string {
  return `route ${route.method} ${route.path}`;
}

function where(decl: Partial<PluginDecl>, instancePath: string): string {
  // /routes/2/uploads/0/class → route POST /x: uploads[0].class
  const match = /^\/routes\/(\d+)(\/.*)?$/.exec(instancePath);
  if (match && decl.routes?.[Number(match[1])]) {
    const route = decl.routes[Number(match[1])]!;
    const rest = (match[2] ?? '').replace(/^\//, '').replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.');
    return `${routeLabel(route)}${rest ? `: ${rest}` : ''}`;
  }
  return instancePath.replace(/^\//, '').replace(/\//g, '.') || 'declaration';
}

export function validatePluginDeclaration(decl: unknown, expectedName: string): string[] {
  const label = `plugin '${expectedName}'`;
  if (typeof decl !== 'object' || decl === null) return [`${label}: the module's default export is not a plugin declaration (use definePlugin)`];
  const plugin = decl as PluginDecl;
  const problems: string[] = [];
  if (!metaValidator(decl)) {
    for (const e of metaValidator.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
      const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
      problems.push(`${label}: ${where(plugin, e.instancePath)}: ${e.message}${extra}${allowed}`);
    }
    return problems;
  }
  if (plugin.name !== expectedName) problems.push(`${label}: declares name '${plugin.name}', but the registry entry is '${expectedName}'`);
  const schemaCompiler = new Ajv({ strict: true, allErrors: false });
  for (const keyword of EXTRA_KEYWORDS) schemaCompiler.addKeyword(keyword);
  const seen = new Set<string>();
  for (const route of plugin.routes) {
    const at = `${label}: ${routeLabel(route)}`;
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) problems.push(`${at}: declared twice`);
    seen.add(key);
    if (typeof route.handler !== 'function') problems.push(`${at}: handler must be a function`);
    try {
      schemaCompiler.compile(route.fields);
    } catch (error) {
      problems.push(`${at}: body: ${(error as Error).message}`);
    }
    for (const [field, schema] of Object.entries(route.fields.properties)) {
      if (typeof schema !== 'object' || schema === null) problems.push(`${at}: body.${field}: schema must be an object`);
    }
    const uploadNames = new Set<string>();
    for (const upload of route.uploads ?? []) {
      for (const name of [upload.name, ...(upload.aliases ?? [])]) {
        if (name in route.fields.properties) problems.push(`${at}: uploads.${name}: clashes with a body field of the same name`);
        if (uploadNames.has(name)) problems.push(`${at}: uploads.${name}: declared twice`);
        uploadNames.add(name);
      }
    }
    if (route.method === 'GET' && route.uploads?.length) problems.push(`${at}: GET routes cannot take uploads`);
  }
  for (const hook of ['load', 'unload'] as const) {
    if (plugin[hook] !== undefined && typeof plugin[hook] !== 'function') problems.push(`${label}: ${hook} must be a function`);
  }
  if (!plugin.weightFree && Object.keys(plugin.graphs ?? {}).length === 0) {
    problems.push(`${label}: declares no graphs; set weightFree: true for a plugin that needs no weights`);
  }
  return problems;
}

/** Checks across plugins: names and routes must be unique in the whole hub. */
export function validateAcrossPlugins(plugins: readonly PluginDecl[], reservedPaths: readonly string[]): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  const names = new Set<string>();
  for (const plugin of plugins) {
    if (names.has(plugin.name)) problems.push(`plugin '${plugin.name}': name clash: two registry entries load a plugin of this name`);
    names.add(plugin.name);
    for (const route of plugin.routes) {
      const key = `${route.method} ${route.path}`;
      const owner = owners.get(key);
      if (owner) problems.push(`plugin '${plugin.name}': ${routeLabel(route)}: duplicate route, already declared by plugin '${owner}'`);
      else owners.set(key, plugin.name);
      if (reservedPaths.some((p) => route.path === p || route.path.startsWith(p + '/'))) {
        problems.push(`plugin '${plugin.name}': ${routeLabel(route)}: path is reserved by the core`);
      }
    }
  }
  return problems;
}
