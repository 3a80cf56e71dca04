// `hub openapi > openapi.json`: the OpenAPI document the hub serves, built from the same
// declarations without starting a server (the registry and config as for `hub start`).
import type { Command } from 'commander';
import type { buildApp } from '../core/app.ts';
import { loadConfig } from '../core/config/load-config.ts';
import { composeContainer } from '../core/container.ts';
import { makeLogger } from '../core/log/logger.ts';

export function openapiCommand(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI 3.1 document (JSON) on stdout')
    .action(async () => {
      const container = await composeContainer(loadConfig(), makeLogger({ level: 'warn' }));
      try {
        const { openapi } = container.resolve<ReturnType<typeof buildApp>>('app');
        process.stdout.write(JSON.stringify(openapi(), null, 2) + '\n');
      } finally {
        await container.dispose();
      }
    });
}
