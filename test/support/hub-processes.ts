// The hub as real processes, for tests that kill or share them: `npm start` (optionally
// with --role api) and `npm run worker`, each reading one HUB_CONFIG file.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { DEV_KEY } from './test-hub.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface HubProcess {
  readonly child: ChildProcess;
  /** The API's base URL, or the worker's health URL. */
  readonly url: string;
  /** Resolves with the signal that ended the process (null after a normal exit). */
  readonly exited: Promise<NodeJS.Signals | null>;
  /** fetch() against the process with the dev key unless `key` says otherwise. */
  call(path: string, init?: RequestInit & { key?: string }): Promise<Response>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

function launch(entry: string, args: readonly string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<HubProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = ready.exec(output);
      if (match) {
        const url = match[1]!;
        resolve({
          child,
          url,
          exited,
          call: (path, init = {}) => fetch(url + path, { ...init, headers: { 'X-API-Key': init.key ?? DEV_KEY, ...(init.headers as Record<string, string>) } }),
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready: ${output}`)));
  });
}

/** `npm start [-- --role api]` on the config file. */
export function startHubProcess(configPath: string, options: { role?: 'api' | 'all'; env?: NodeJS.ProcessEnv } = {}): Promise<HubProcess> {
  const args = options.role ? ['--role', options.role] : [];
  return launch('core/main.ts', args, { HUB_CONFIG: configPath, ...options.env }, /listening on (http:\/\/\S+)/);
}

/** `npm run worker` on the config file; its URL is the health endpoint's base. */
export function startWorkerProcess(configPath: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<HubProcess> {
  return launch('core/worker-main.ts', [], { HUB_CONFIG: configPath, HUB_WORKER_PORT: '0', ...options.env }, /health on (http:\/\/\S+)\/health/);
}
