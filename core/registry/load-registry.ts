// Reads registry/plugins.json, imports every enabled plugin (a folder or an npm package)
// and refuses to boot when any declaration is wrong.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { resolveCapabilityFields } from '../plugin/capability-fields.ts';
import { registrySchema } from '../plugin/meta-schema.ts';
import type { PluginDecl } from '../plugin/types.ts';
import { PluginDeclarationError, validateAcrossPlugins, validatePluginDeclaration } from '../plugin/validate-plugin.ts';
import type { LoadedPlugin, RegistryFile } from './loaded-plugin.ts';

export type { LoadedPlugin, RegistryEntry, RegistryFile, WeightSource } from './loaded-plugin.ts';

/** Paths under /api that the core serves itself. */
export const RESERVED_PATHS = ['/health', '/docs', '/openapi.json', '/tasks', '/models', '/keys', '/v1', '/audio/spectrogram', '/audio/waveform'] as const;

const validateRegistry = new Ajv({ allErrors: true }).compile(registrySchema);

export function readRegistry(path: string): RegistryFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PluginDeclarationError([`registry ${path}: ${(error as Error).message}`]);
  }
  if (!validateRegistry(data)) {
    throw new PluginDeclarationError((validateRegistry.errors ?? []).map((e) => `registry ${path}: ${e.instancePath || '/'} ${e.message}`));
  }
  return data as RegistryFile;
}

function resolveSource(source: string, rootDir: string): { specifier: string; dir: string | undefined } {
  const looksLikePath = source.startsWith('.') || source.startsWith('/') || source.startsWith('plugins/');
  if (!looksLikePath) return { specifier: source, dir: undefined };
  const dir = isAbsolute(source) ? source : resolve(rootDir, source);
  const index = ['index.ts', 'index.js'].map((f) => resolve(dir, f)).find((f) => existsSync(f));
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !index) {
    throw new PluginDeclarationError([`registry: source '${source}' is not a plugin folder with an index.ts`]);
  }
  return { specifier: pathToFileURL(index).href, dir };
}

export async function loadPlugins(registryPath: string, rootDir: string): Promise<LoadedPlugin[]> {
  const registry = readRegistry(registryPath);
  const loaded: LoadedPlugin[] = [];
  const problems: string[] = [];
  for (const entry of registry.plugins.filter((p) => p.enabled)) {
    try {
      const { specifier, dir } = resolveSource(entry.source, rootDir);
      const module = (await import(specifier)) as { default?: unknown };
      const found = validatePluginDeclaration(module.default, entry.name);
      if (found.length) problems.push(...found);
      else loaded.push({ decl: module.default as PluginDecl, entry, dir });
    } catch (error) {
      if (error instanceof PluginDeclarationError) problems.push(...error.problems);
      else problems.push(`plugin '${entry.name}': cannot be imported from '${entry.source}': ${(error as Error).message}`);
    }
  }
  problems.push(...validateAcrossPlugins(loaded.map((p) => p.decl), RESERVED_PATHS));
  if (problems.length) throw new PluginDeclarationError(problems);
  return resolveCapabilityFields(loaded);
}
