// A worker process of a scale-out deployment (`npm run worker`): it loads the plugins and
// their graphs and runs the tasks the API processes put on the queue. No API; one small
// HTTP port answers GET /health for the load balancer or orchestrator that watches it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwilixContainer } from 'awilix';
import type { Redis } from 'ioredis';
import { loadConfig, type HubConfig } from './config/load-config.ts';
import { composeContainer } from './container.ts';
import type { BullQueue } from './jobs/bullmq-queue.ts';
import type { Jobs } from './jobs/jobs.ts';
import type { Logger } from './log/logger.ts';
import { scaleOutOf } from './config/scale-out-settings.ts';
import { usePrivateUmask } from './store/private-files.ts';

export interface HubWorker {
  readonly config: HubConfig;
  /** Where GET /health answers. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startWorker(options: { env?: NodeJS.ProcessEnv; logger?: Logger } = {}): Promise<HubWorker> {
  const config = loadConfig({ env: options.env, overrides: { scaleOut: { role: 'worker' } } });
  const scaleOut = scaleOutOf(config)!; // a worker without scaleOut.redisUrl is refused there
  usePrivateUmask();
  const container: AwilixContainer = await composeContainer(config, options.logger);
  const jobs = container.resolve<Jobs>('jobs');
  const redis = container.resolve<Redis>('redisCommands');
  const queue = container.resolve<BullQueue>('taskQueue');
  await jobs.start();
  container.resolve('idleUnloader');

  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/health') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'only GET /health is served here' }));
      return;
    }
    const ready = redis.status === 'ready';
    const body = { status: ready ? 'healthy' : 'degraded', role: 'worker', pid: process.pid, redis: ready ? 'connected' : `unreachable (${redis.status})`, tasks: queue.stats() };
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(scaleOut.workerPort, config.server.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      server.close();
      jobs.drain(); // takes no new task
      const grace = new Promise<void>((resolve) => setTimeout(resolve, config.server.shutdownGraceMs).unref());
      await Promise.race([jobs.idle(), grace]);
      await jobs.stop(); // tasks still running are aborted; the queue hands them to another worker
      await container.dispose();
    })());
  return { config, url: `http://${config.server.host}:${port}`, close };
}
