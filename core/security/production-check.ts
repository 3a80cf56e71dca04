// A production hub must have a way in that is not the public development key: an admin
// key in the database or an operator key in HUB_ADMIN_KEY. Without one it refuses to
// start and says how to make one, rather than starting locked or, worse, open.
import type { HubConfig } from '../config/load-config.ts';
import type { KeyStore } from './key-store.ts';

export class StartupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupRefused';
  }
}

export const CREATE_ADMIN_COMMAND = 'npm run keys -- create --name ops --role admin';

export function assertProductionReady(config: Pick<HubConfig, 'env' | 'auth' | 'dataDir'>, keys: Pick<KeyStore, 'hasActiveAdmin'>): void {
  if (config.env !== 'production') return;
  if (config.auth.adminKey !== undefined && config.auth.adminKey === config.auth.devKey) {
    throw new StartupRefused('refusing to start in production: HUB_ADMIN_KEY is the public development key; choose a secret of your own');
  }
  if (config.auth.adminKey !== undefined || keys.hasActiveAdmin()) return;
  throw new StartupRefused(
    [
      'refusing to start in production: no admin API key exists, and the development key is disabled.',
      `Create one (it is printed once) with the same HUB_DATA_DIR (${config.dataDir}):`,
      `  NODE_ENV=production ${CREATE_ADMIN_COMMAND}`,
      'or set HUB_ADMIN_KEY to a secret of at least 16 characters.',
    ].join('\n'),
  );
}
