// A running hub: the container, the app and the HTTP server, with a shutdown that stops
// accepting, lets in-flight requests finish (up to a grace period), then disposes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwilixContainer } from 'awilix';
import type { Express } from 'express';
import type { buildApp } from './app.ts';
import { loadConfig, type HubConfig } from './config/load-config.ts';
import { composeContainer } from './container.ts';
import type { Jobs } from './jobs/jobs.ts';
import type { ProgressSockets } from './jobs/progress-socket.ts';
import { answerClientError } from './http/client-error.ts';
import { expressInstanceClasses } from './http/express-instances.ts';
import type { Logger } from './log/logger.ts';
import { removeRuntimeDebugLog } from './onnx/runtime-debug-log.ts';
import type { Warmup } from './plugin/warmup.ts';
import type { MetricsSurface } from './metrics/metrics-surface.ts';
import { usePrivateUmask } from './store/private-files.ts';

export interface Hub {
  readonly config: HubConfig;
  readonly container: AwilixContainer;
  readonly app: Express;
  readonly server: Server;
  readonly url: string;
  /** The separate metrics listener's URL, when `metrics.port` asks for one. */
  readonly metricsUrl: string | undefined;
  readonly openapi: () => Record<string, unknown>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Config overrides (deep-merged over the defaults, the HUB_CONFIG file and the environment). */
  readonly overrides?: Record<string, unknown>;
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
}

export async function startHub(options: StartOptions = {}): Promise<Hub> {
  const config = loadConfig({ env: options.env, overrides: options.overrides });
  usePrivateUmask(); // every file the hub writes is 0600, every folder 0700
  const container = await composeContainer(config, options.logger);
  let built: ReturnType<typeof buildApp>;
  try {
    built = container.resolve<ReturnType<typeof buildApp>>('app');
  } catch (error) {
    // A refused boot (bad declaration, production without an admin key) closes what it opened.
    await container.dispose();
    throw error;
  }
  const { app, openapi } = built;
  const jobs = container.resolve<Jobs>('jobs');
  await jobs.start(); // recovers what the last run left: interrupted tasks, queued tasks, expired results
  container.resolve('idleUnloader'); // starts its sweep
  container.resolve<Warmup>('warmup').start(); // logs every plugin's weight state, then loads the warm-up plugins in the background
  const { headersSeconds, requestSeconds, keepAliveSeconds } = config.server.timeouts;
  const server = createServer(
    {
      // Node needs headersTimeout <= requestTimeout.
      headersTimeout: Math.round(Math.min(headersSeconds, requestSeconds) * 1000),
      requestTimeout: Math.round(requestSeconds * 1000),
      keepAliveTimeout: Math.round(keepAliveSeconds * 1000),
      // How often Node looks for requests past those limits (its default, 30 s, would add up to 30 s to each).
      connectionsCheckingInterval: 500,
      // Requests and responses born with express's prototypes (see express-instances.ts).
      ...expressInstanceClasses(app),
    },
    app,
  );
  server.on('upgrade', container.resolve<ProgressSockets>('progressSockets').upgradeListener(app));
  const logger = container.resolve<Logger>('logger');
  server.on('clientError', (error: Error & { code?: string }, socket) => answerClientError(error, socket, logger));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  const metricsUrl = await container.resolve<MetricsSurface>('metricsSurface').listen(); // only when metrics.port sets a separate address
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      jobs.drain(); // no new task starts; progress streams end so they do not hold the drain
      const grace = new Promise<void>((resolve) => setTimeout(resolve, config.server.shutdownGraceMs).unref());
      await Promise.race([Promise.all([drained, jobs.idle()]), grace]);
      server.closeAllConnections();
      await jobs.stop(); // tasks still running are aborted and left for the next boot
      await container.dispose();
      removeRuntimeDebugLog();
    })());

  return { config, container, app, server, url, metricsUrl, openapi, close };
}
