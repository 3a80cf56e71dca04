// `hub <command>`: the one command line of the hub (bin/hub.mjs; `npx hub`, `npm run
// keys|weights|smoke` are aliases). Exit codes are in exit.ts and docs/operations.md.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { isHubError } from '../core/errors.ts';
import { EXIT, HubCallError, UsageError } from './exit.ts';
import { keysCommand } from './keys.ts';
import { ExportFailed } from './models-export.ts';
import { modelsCommand } from './models.ts';
import { openapiCommand } from './openapi.ts';
import { tasksCommand } from './tasks.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** `hub start` keeps the process for the server; every other command ends when it is done. */
let serving = false;

const program = new Command('hub')
  .description('Speech Model Hub: serve plugins, manage keys, weights and tasks')
  .version(version)
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

program
  .command('start')
  .description('start the hub (PORT, HOST, HUB_DATA_DIR, HUB_CONFIG, NODE_ENV as documented); stops gracefully on SIGTERM/SIGINT')
  .action(async () => {
    serving = true;
    await import('../core/main.ts');
  });
keysCommand(program);
modelsCommand(program);
tasksCommand(program);
openapiCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version print and succeed; every other commander error is a usage mistake.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof UsageError || isHubError(error)) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = EXIT.usage;
  } else if (error instanceof HubCallError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = EXIT.hub;
  } else if (error instanceof ExportFailed) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = EXIT.failed;
  } else {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT.failed;
  }
}
if (!serving) {
  // Writes to a pipe can still be queued (a 400 kB `hub openapi | jq`); exit once both streams took everything.
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(); // with process.exitCode; sockets a command left open must not hold it
}
