// A route field may choose among the plugins that offer a capability (a `vocoder_name`
// picking any installed vocoder). It declares `'x-capability': '<kind>'` instead of an enum;
// the registry loader writes the enum at boot from the plugins actually registered, so a new
// provider shows up in validation, the OpenAPI document and the conformance suite without an
// edit to the route that lists it, and an unknown name is answered as "not installed".
import type { LoadedPlugin } from '../registry/loaded-plugin.ts';
import type { JsonSchemaObject, PluginDecl, RouteDecl } from './types.ts';

export const CAPABILITY_KEYWORD = 'x-capability';

type PropertySchema = Readonly<Record<string, unknown>>;

const kindOf = (schema: unknown): string | undefined => {
  const kind = (schema as PropertySchema | null)?.[CAPABILITY_KEYWORD];
  return typeof kind === 'string' ? kind : undefined;
};

export function providersOf(kind: string, plugins: readonly PluginDecl[]): string[] {
  return plugins.filter((p) => p.capabilities?.[kind] !== undefined).map((p) => p.name).sort();
}

function resolveFields(fields: JsonSchemaObject, plugins: readonly PluginDecl[]): JsonSchemaObject {
  if (!Object.values(fields.properties).some((schema) => kindOf(schema) !== undefined)) return fields;
  const properties = Object.fromEntries(
    Object.entries(fields.properties).map(([name, schema]) => {
      const kind = kindOf(schema);
      if (kind === undefined) return [name, schema];
      const names = providersOf(kind, plugins);
      // JSON Schema forbids an empty enum; with no provider the handler answers instead.
      return [name, names.length > 0 ? { ...(schema as PropertySchema), enum: names } : schema];
    }),
  );
  return { ...fields, properties };
}

/** The loaded plugins with every `x-capability` field's enum filled from the registry. */
export function resolveCapabilityFields(loaded: readonly LoadedPlugin[]): LoadedPlugin[] {
  const decls = loaded.map((p) => p.decl);
  return loaded.map((plugin) => {
    const routes = plugin.decl.routes.map((route: RouteDecl) => {
      const fields = resolveFields(route.fields, decls);
      return fields === route.fields ? route : { ...route, fields };
    });
    return routes.every((route, i) => route === plugin.decl.routes[i]) ? plugin : { ...plugin, decl: { ...plugin.decl, routes } };
  });
}

/** The rule an enum failure on such a field reports: the name is not an installed provider. */
export function capabilityRule(fields: JsonSchemaObject, field: string, value: unknown): string | undefined {
  const schema = fields.properties[field] as PropertySchema | undefined;
  const kind = kindOf(schema);
  if (kind === undefined) return undefined;
  const names = (schema?.enum as string[] | undefined) ?? [];
  return `'${String(value).slice(0, 64)}' is not installed: no registered plugin of that name offers '${kind}' (installed: ${names.join(', ') || 'none'})`;
}
