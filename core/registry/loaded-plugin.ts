// The shapes of a registry file and of a plugin once loaded from it. Types only, kept out
// of the loader so modules the loader uses (capability-fields.ts) name them without a circle.
import type { registrySchema } from '../plugin/meta-schema.ts';
import type { FromSchema } from '../plugin/schema-types.ts';
import type { PluginDecl } from '../plugin/types.ts';

export type RegistryFile = FromSchema<typeof registrySchema>;
export type RegistryEntry = RegistryFile['plugins'][number];
export type WeightSource = NonNullable<RegistryEntry['weights']>;

export interface LoadedPlugin {
  readonly decl: PluginDecl;
  readonly entry: RegistryEntry;
  /** The plugin's source folder, when it is one (export recipes, presets). */
  readonly dir: string | undefined;
}
