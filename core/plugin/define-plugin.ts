// The helpers a plugin author calls. `const` type parameters infer literal schema types,
// so a route's `fields` schema types its handler's input without extra annotations.
import type { JsonSchemaObject, PluginDecl, Produces, RouteDecl, UploadDecl } from './types.ts';

export function defineRoute<
  const S extends JsonSchemaObject,
  const U extends readonly UploadDecl[] | undefined = undefined,
  const P extends Produces = Produces,
>(route: RouteDecl<S, U, P>): RouteDecl<S, U, P> {
  return route;
}

export function definePlugin<const T extends PluginDecl>(plugin: T): T {
  return plugin;
}
