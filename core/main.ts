// `npm start`: boot the hub on its embedded defaults, print where it is and how to call it,
// and shut down gracefully on SIGTERM/SIGINT.
import { startHub } from './hub.ts';
import type { Logger } from './log/logger.ts';
import { PluginDeclarationError } from './plugin/validate-plugin.ts';
import { StartupRefused } from './security/production-check.ts';

/** `npm start -- --role api`: HTTP only, tasks go to worker processes (needs scaleOut.redisUrl). */
function roleArgument(argv: readonly string[]): Record<string, unknown> | undefined {
  const at = argv.indexOf('--role');
  if (at < 0) return undefined;
  const role = argv[at + 1];
  if (role === 'worker') throw new Error('config: a worker has no HTTP API; start it with `npm run worker`');
  return { scaleOut: { role } };
}

async function main(): Promise<void> {
  const started = performance.now();
  const hub = await startHub({ overrides: roleArgument(process.argv.slice(2)) });
  const { config } = hub;
  const lines = [
    `Speech Model Hub listening on ${hub.url}  (booted in ${Math.round(performance.now() - started)} ms)`,
    `  API docs (Swagger UI): ${hub.url}/api/docs`,
    `  OpenAPI document:      ${hub.url}/api/openapi.json`,
    `  Health:                ${hub.url}/api/health  (probes: /api/health/live, /api/health/ready)`,
    `  Metrics (Prometheus):  ${hub.metricsUrl ?? `${hub.url}/metrics (admin key)`}`,
    `  Data directory:        ${config.dataDir}`,
  ];
  if (config.scaleOut?.redisUrl) {
    const redis = new URL(config.scaleOut.redisUrl);
    if (redis.password) redis.password = '***';
    lines.push(`  Scale-out:             role ${config.scaleOut.role ?? 'all'}, Redis ${redis.href}`);
  }
  if (config.env !== 'production') {
    lines.push(
      '',
      '  !!! DEVELOPMENT MODE: the public default key works. Never expose this hub.   !!!',
      `  !!! curl -H "X-API-Key: ${config.auth.devKey}" ${hub.url}/api/health`,
      '  !!! Set NODE_ENV=production and create keys with `npx hub keys create`.      !!!',
    );
  } else {
    lines.push('', '  Production mode: the development key is refused. Manage keys with `npx hub keys list | create | revoke`.');
  }
  process.stdout.write(lines.join('\n') + '\n');

  const logger = hub.container.resolve<Logger>('logger');
  const stop = (signal: string) => {
    logger.info('shutting down: finishing in-flight requests, then exiting', { signal, graceMs: config.server.shutdownGraceMs });
    hub.close().then(
      () => {
        logger.info('stopped', { signal });
        process.exit(0);
      },
      (error: Error) => {
        logger.error('shutdown failed', { signal, error: error.stack });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  const message = error instanceof PluginDeclarationError || error instanceof StartupRefused || (error instanceof Error && error.message.startsWith('config')) ? error.message : (error as Error).stack;
  process.stderr.write(`hub failed to start: ${message}\n`);
  process.exit(1);
});
