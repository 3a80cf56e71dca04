// Starts the real hub on a free port with its own temporary data directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub, type Hub } from '../../core/hub.ts';
import { deepMerge } from '../../core/config/load-config.ts';
import type { Logger } from '../../core/log/logger.ts';
import { sine, wavBytes } from './wav.ts';

export const DEV_KEY = 'amphion-dev-key-change-in-production';

export interface TestHub extends Hub {
  readonly dataDir: string;
  /** fetch() against the hub with the dev key unless headers say otherwise. */
  call(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  stop(): Promise<void>;
}

/** `logger`: capture the hub's log lines (`makeLogger({ level, write })`); silent otherwise. */
export async function startTestHub(overrides: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { NODE_ENV: 'test' }, options: { logger?: Logger } = {}): Promise<TestHub> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hub-test-'));
  // Limits high enough that tests which are not about rate limits never meet them;
  // the rate-limit tests set their own low limits.
  const base = { server: { port: 0, host: '127.0.0.1', shutdownGraceMs: 2000 }, dataDir, logLevel: 'silent', rateLimit: { perMinute: 100_000, perHour: 1_000_000, tasksPerMinute: 1_000_000, failedAuth: { perAddress: 1_000_000, perKeyId: 1_000_000, windowSeconds: 600 } } };
  const hub = await startHub({ overrides: deepMerge(base, overrides), env, logger: options.logger });
  return {
    ...hub,
    dataDir,
    call(path, init = {}) {
      const headers = new Headers(init.headers);
      const key = init.key === undefined ? DEV_KEY : init.key;
      if (key !== null && !headers.has('x-api-key') && !headers.has('authorization')) headers.set('X-API-Key', key);
      return fetch(hub.url + path, { ...init, headers });
    },
    async stop() {
      await hub.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function wavBlobFor(options: { seconds: number; sampleRate: number; frequency?: number }): Blob {
  return new Blob([wavBytes(sine(options), options.sampleRate)], { type: 'audio/wav' });
}
