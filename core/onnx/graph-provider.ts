// First version of graph handles: the session manager replaces this with worker-owned sessions.
import { errors } from '../errors.ts';
import type { GraphProvider } from './providers.ts';

export function makeGraphProvider(): GraphProvider {
  return {
    handlesFor(plugin) {
      return Object.fromEntries(
        Object.entries(plugin.decl.graphs ?? {}).map(([name, contract]) => [
          name,
          { name, contract, run: async () => Promise.reject(errors.unavailable(`graph '${name}' of plugin '${plugin.decl.name}' cannot run: no ONNX runtime configured`)) },
        ]),
      );
    },
    load: async () => [],
    unload: async () => {},
    status: () => [],
    async dispose() {},
  };
}
